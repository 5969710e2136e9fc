using Helia.Core.Repo;
using Helia.Libp2p.Crypto;
using Helia.Multiformats;

namespace Helia;

/// <summary>Between a libp2p key and the repo config's Identity (Kubo's PeerID + base64 PrivKey protobuf).</summary>
public static class RepoIdentityExtensions
{
    /// <summary>The config Identity of <paramref name="key"/>: its peer ID and its PrivateKey protobuf.</summary>
    public static RepoIdentity ToRepoIdentity(this PrivateKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return new RepoIdentity { PeerId = PeerId.FromMultihash(key.PublicKey.ToPeerIdMultihash()).ToString(), PrivKey = key.Marshal() };
    }

    /// <summary>
    /// Reads the identity key from the repo's config and checks it against Identity.PeerID; a key that does not
    /// decode or does not match raises <see cref="RepoCorruptException"/> naming the config file.
    /// </summary>
    public static PrivateKey LoadPrivateKey(this Repo repo)
    {
        ArgumentNullException.ThrowIfNull(repo);
        string file = Path.Combine(repo.Path, Repo.ConfigFileName);
        RepoIdentity identity = repo.Config.Identity;
        PrivateKey key;
        try
        {
            key = PrivateKey.Unmarshal(identity.PrivKey);
        }
        catch (KeyFormatException ex)
        {
            throw new RepoCorruptException(repo.Path, file, $"Identity.PrivKey is not a usable private key ({ex.Message})", ex);
        }

        var derived = PeerId.FromMultihash(key.PublicKey.ToPeerIdMultihash());
        if (derived != PeerId.Parse(identity.PeerId))
        {
            key.Dispose();
            throw new RepoCorruptException(repo.Path, file, $"Identity.PrivKey belongs to {derived}, not to Identity.PeerID {identity.PeerId}");
        }

        return key;
    }
}
