using Helia.Multiformats;

namespace Helia.Libp2p;

/// <summary>A peer connected, disconnected, was identified or was discovered.</summary>
public sealed class PeerEventArgs(PeerId peer, IConnection? connection = null, IReadOnlyList<Multiaddr>? addresses = null) : EventArgs
{
    public PeerId Peer { get; } = peer;

    /// <summary>The connection concerned, for connection and identify events.</summary>
    public IConnection? Connection { get; } = connection;

    /// <summary>The addresses learned, for discovery events.</summary>
    public IReadOnlyList<Multiaddr> Addresses { get; } = addresses ?? [];
}
