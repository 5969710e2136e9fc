using Helia.Cli.Http.Rpc;
using Helia.Libp2p;
using Helia.Libp2p.Protocols.Ping;
using Helia.Multiformats;

namespace Helia.Cli.Daemon;

/// <summary>swarm peers/connect/disconnect/addrs and ping over the libp2p host.</summary>
internal sealed class NodeSwarm(ILibp2pHost host) : IRpcSwarm
{
    private readonly PingService _ping = new(host);

    public IReadOnlyList<RpcSwarmPeer> GetPeers() =>
        [.. host.Connections.Select(c => new RpcSwarmPeer(c.RemoteAddress.WithoutPeerId().ToString(), c.RemotePeer.ToString(), c.IsInitiator ? 2 : 1))];

    public async ValueTask<PeerId> ConnectAsync(Multiaddr address, CancellationToken cancellationToken)
    {
        IConnection connection = await host.DialAsync(address, cancellationToken);
        return connection.RemotePeer;
    }

    public async ValueTask<PeerId> DisconnectAsync(Multiaddr address, CancellationToken cancellationToken)
    {
        PeerId peer = RpcRequest.RequirePeerId(address);
        IConnection[] connections = [.. host.Connections.Where(c => c.RemotePeer == peer)];
        if (connections.Length == 0)
        {
            throw new RpcException($"not connected to {peer}");
        }

        foreach (IConnection connection in connections)
        {
            await connection.CloseAsync(cancellationToken);
        }

        return peer;
    }

    public IReadOnlyDictionary<string, IReadOnlyList<string>> GetKnownAddresses()
    {
        var known = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        foreach (PeerId peer in host.Connections.Select(c => c.RemotePeer).Distinct())
        {
            known[peer.ToString()] = [.. host.PeerStore.GetAddresses(peer).Select(a => a.ToString())];
        }

        return known;
    }

    public IReadOnlyList<Multiaddr> GetListenAddresses() => host.ListenAddresses;

    public PeerId LocalPeer => host.Id;

    public Task<TimeSpan> PingAsync(PeerId peer, CancellationToken cancellationToken) => _ping.PingAsync(peer, cancellationToken);
}
