using System.Text;
using CsCheck;
using Helia.Core;
using Helia.Libp2p.Crypto;
using Helia.Multiformats;

namespace Helia.Tests.Node;

/// <summary>
/// Peer store records as a damaged or hostile datastore may hold them: random bytes, mutated records, and records whose
/// fields hold values of the wrong type or range. Each is read or refused with <see cref="HeliaException"/>, and a record
/// that is read names the expected peer and carries no key of another peer.
/// </summary>
public class PersistedPeerBadInputTests : IDisposable
{
    private readonly Ed25519PrivateKey _key = Ed25519PrivateKey.Generate();
    private readonly Ed25519PrivateKey _otherKey = Ed25519PrivateKey.Generate();

    public void Dispose()
    {
        _key.Dispose();
        _otherKey.Dispose();
        GC.SuppressFinalize(this);
    }

    private PeerId Peer => PeerId.FromMultihash(_key.PublicKey.ToPeerIdMultihash());

    [Fact]
    public void Decode_RandomOrMutatedRecord_ReadsTheExpectedPeerOrThrowsHeliaException()
    {
        byte[] valid = new PersistedPeer
        {
            Id = Peer,
            Addresses = [new(Multiaddr.Parse("/ip4/192.0.2.7/tcp/4001"), DateTimeOffset.UnixEpoch.AddYears(60)), new(Multiaddr.Parse("/ip6/::1/udp/1/quic-v1"), DateTimeOffset.UnixEpoch)],
            Protocols = ["/ipfs/id/1.0.0", "/ipfs/bitswap/1.2.0"],
            PublicKey = _key.PublicKey.Marshal(),
            AgentVersion = "helia-dotnet/0.1",
            ObservedAddress = Multiaddr.Parse("/ip4/198.51.100.1/tcp/5000"),
        }.Encode();
        BadInput.RandomOrMutated(64, valid).Sample(DecodeChecked, iter: 2000);
    }

    [Fact]
    public void Decode_FieldsOfTheWrongTypeOrRange_ReadsTheExpectedPeerOrThrowsHeliaException()
    {
        string id = $"\"{Peer}\"";
        string[] anything = ["null", "0", "-1", "1e400", "9223372036854775807", "\"\"", "\"x\"", "true", "[]", "{}", "[null]", "[1]", "[\"\"]", "{\"a\":[[[[]]]]}"];
        string[] addresses =
        [
            .. anything, "[{\"addr\":\"/ip4/1.2.3.4/tcp/1\",\"expires\":0}]", "[{\"addr\":\"/ip4/1.2.3.4/tcp/1\",\"expires\":-1}]",
            "[{\"addr\":\"/ip4/1.2.3.4/tcp/1\",\"expires\":253402300800000}]", "[{\"addr\":\"/ip4/999.2.3.4/tcp/1\",\"expires\":5}]",
            "[{\"addr\":\"\",\"expires\":5}]", "[{\"addr\":\"ip4\",\"expires\":5}]", "[{\"addr\":\"/ip4/1.2.3.4/tcp/99999\",\"expires\":5}]",
            "[{\"expires\":5}]", "[{\"addr\":1}]", "[{\"addr\":\"/dns4/\\u0000/tcp/1\",\"expires\":5}]",
        ];
        string[] keys =
        [
            .. anything, "\"!!!\"", $"\"{Convert.ToBase64String(_key.PublicKey.Marshal())}\"", $"\"{Convert.ToBase64String(_otherKey.PublicKey.Marshal())}\"",
            $"\"{Convert.ToBase64String(_key.PublicKey.Marshal()[..^1])}\"", "\"AAAA\"",
        ];
        string[] observed = [.. anything, "\"/ip4/1.2.3.4/tcp/1\"", "\"/p2p-circuit\"", "\"/\"", "\"/ip4\""];
        Gen.Select(
            Gen.OneOf(Gen.Const("1"), Gen.OneOf(anything)),
            Gen.OneOf(Gen.Const(id), Gen.OneOf(anything)),
            Gen.OneOf(addresses),
            Gen.OneOf(anything),
            Gen.OneOf(keys),
            Gen.OneOf(observed),
            (version, peer, address, protocols, key, observedAddress) => Encoding.UTF8.GetBytes(
                $"{{\"v\":{version},\"id\":{peer},\"addresses\":{address},\"protocols\":{protocols},\"publicKey\":{key},\"agentVersion\":{protocols},\"observedAddress\":{observedAddress}}}"))
            .Sample(DecodeChecked, iter: 2000);
    }

    private void DecodeChecked(byte[] json) => BadInput.ParsesOrThrows<HeliaException>(() =>
    {
        PersistedPeer record = PersistedPeer.Decode(Peer, json);
        Assert.Equal(Peer, record.Id);
        Assert.Contains($"\"{Peer}\"", Encoding.UTF8.GetString(json), StringComparison.Ordinal);
        Assert.True(
            record.PublicKey.IsEmpty || PeerId.FromMultihash(PublicKey.Unmarshal(record.PublicKey.Span).ToPeerIdMultihash()) == Peer,
            "a record was read with another peer's key");
    });
}
