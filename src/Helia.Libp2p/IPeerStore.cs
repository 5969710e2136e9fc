using Helia.Multiformats;

namespace Helia.Libp2p;

/// <summary>What we know of other peers: addresses (with TTLs), protocols, keys and what identify told us.</summary>
public interface IPeerStore
{
    /// <summary>Every peer with at least one live entry.</summary>
    IReadOnlyCollection<PeerId> Peers { get; }

    /// <summary>Adds addresses that stay valid for <paramref name="ttl"/> (refreshing known ones).</summary>
    void AddAddresses(PeerId peer, IEnumerable<Multiaddr> addresses, TimeSpan ttl);

    /// <summary>
    /// Replaces the peer's addresses in one step, so no reader sees a partial set: afterwards it has
    /// <paramref name="addresses"/> (valid for <paramref name="ttl"/>, or longer if already known so) and those of
    /// <paramref name="keep"/> it already had (their expiry unchanged); every other address is forgotten.
    /// </summary>
    void ReplaceAddresses(PeerId peer, IEnumerable<Multiaddr> addresses, TimeSpan ttl, IEnumerable<Multiaddr>? keep = null);

    /// <summary>The addresses that have not expired.</summary>
    IReadOnlyList<Multiaddr> GetAddresses(PeerId peer);

    /// <summary>Replaces the protocols the peer supports.</summary>
    void SetProtocols(PeerId peer, IEnumerable<string> protocols);

    /// <summary>Records what identify reported: the public key (protobuf), agent version and our observed address.</summary>
    void SetIdentity(PeerId peer, ReadOnlyMemory<byte> publicKey, string? agentVersion, Multiaddr? observedAddress);

    /// <summary>A snapshot of everything known about the peer, or null.</summary>
    PeerRecord? Get(PeerId peer);
}
