using System.Text.Json;
using System.Text.Json.Serialization;
using Helia.Multiformats;

namespace Helia.Core.Repo;

/// <summary>
/// The repo's <c>config</c> file, a subset of Kubo's: Identity (PeerID, PrivKey), Addresses (Swarm, API) and
/// Discovery.MDNS.Enabled. Sections we do not know are kept as they are when the config is written back.
/// </summary>
public sealed record RepoConfig
{
    /// <summary>A config larger than this is refused as corrupt (Kubo's are a few KiB).</summary>
    public const int MaxFileSize = 1024 * 1024;

    internal static JsonSerializerOptions JsonOptions { get; } = new() { WriteIndented = true };

    public required RepoIdentity Identity { get; init; }

    public RepoAddresses Addresses { get; init; } = new();

    public RepoDiscovery Discovery { get; init; } = new();

    /// <summary>Sections of the file this type does not model (Kubo's Datastore, Gateway, …), written back unchanged.</summary>
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Other { get; init; }

    public byte[] ToJson() => JsonSerializer.SerializeToUtf8Bytes(this, JsonOptions);

    /// <summary>Parses and checks a config file's bytes; <paramref name="file"/> names it in the error.</summary>
    internal static RepoConfig Parse(string repoPath, string file, ReadOnlySpan<byte> json)
    {
        RepoConfig? config;
        try
        {
            config = JsonSerializer.Deserialize<RepoConfig>(json, JsonOptions);
        }
        catch (JsonException ex)
        {
            throw new RepoCorruptException(repoPath, file, $"it is not valid config JSON ({ex.Message})", ex);
        }

        if (config is null)
        {
            throw new RepoCorruptException(repoPath, file, "it holds null, not a config object");
        }

        config.Check(repoPath, file);
        return config;
    }

    private void Check(string repoPath, string file)
    {
        if (Identity is null || string.IsNullOrEmpty(Identity.PeerId) || Identity.PrivKey is null || Identity.PrivKey.Length == 0)
        {
            throw new RepoCorruptException(repoPath, file, "Identity.PeerID and Identity.PrivKey are required");
        }

        if (!Multiformats.PeerId.TryParse(Identity.PeerId, out _))
        {
            throw new RepoCorruptException(repoPath, file, $"Identity.PeerID '{Identity.PeerId}' is not a peer ID");
        }

        if (Identity.PrivKey.Length > RepoIdentity.MaxPrivateKeyLength)
        {
            throw new RepoCorruptException(repoPath, file, $"Identity.PrivKey has {Identity.PrivKey.Length} bytes, more than {RepoIdentity.MaxPrivateKeyLength}");
        }

        if (Addresses?.Swarm is null || Addresses.Api is null || Discovery?.Mdns is null)
        {
            throw new RepoCorruptException(repoPath, file, "Addresses.Swarm, Addresses.API and Discovery.MDNS must not be null");
        }

        foreach (string address in Addresses.Swarm.Append(Addresses.Api))
        {
            if (!Multiaddr.TryParse(address, out _))
            {
                throw new RepoCorruptException(repoPath, file, $"'{address}' in Addresses is not a multiaddr");
            }
        }
    }
}
