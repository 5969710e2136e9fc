using Helia.Multiformats;

namespace Helia.Cli.Http.Rpc;

/// <summary>The libp2p host as the swarm and ping commands see it.</summary>
public interface IRpcSwarm
{
    /// <summary>Open connections: one entry per connection.</summary>
    IReadOnlyList<RpcSwarmPeer> GetPeers();

    /// <summary>Dials an address (which must end in /p2p/ID) and returns the connected peer.</summary>
    ValueTask<PeerId> ConnectAsync(Multiaddr address, CancellationToken cancellationToken);

    /// <summary>Closes the connections to the peer the address names; returns that peer.</summary>
    ValueTask<PeerId> DisconnectAsync(Multiaddr address, CancellationToken cancellationToken);

    /// <summary>Known addresses of every peer in the peer store, by peer ID.</summary>
    IReadOnlyDictionary<string, IReadOnlyList<string>> GetKnownAddresses();

    /// <summary>The addresses this node listens on.</summary>
    IReadOnlyList<Multiaddr> GetListenAddresses();

    /// <summary>This node's peer ID.</summary>
    PeerId LocalPeer { get; }

    /// <summary>One libp2p ping (dialing the peer if needed); returns the round-trip time.</summary>
    Task<TimeSpan> PingAsync(PeerId peer, CancellationToken cancellationToken);
}
