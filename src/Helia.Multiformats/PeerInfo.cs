namespace Helia.Multiformats;

/// <summary>A peer and the addresses it may be reached at (addresses carry no /p2p/ suffix).</summary>
public sealed record PeerInfo(PeerId Id, IReadOnlyList<Multiaddr> Addresses);
