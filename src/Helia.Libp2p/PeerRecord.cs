using Helia.Multiformats;

namespace Helia.Libp2p;

/// <summary>What the peer store knows about one peer (a snapshot).</summary>
public sealed record PeerRecord(
    PeerId Id,
    IReadOnlyList<Multiaddr> Addresses,
    IReadOnlyList<string> Protocols,
    ReadOnlyMemory<byte> PublicKey,
    string? AgentVersion,
    Multiaddr? ObservedAddress);
