using Helia.Cli.Http.Rpc;
using Helia.Libp2p;
using Helia.Multiformats;

namespace Helia.Tests.Rpc;

internal sealed class FakeRpcSwarm : IRpcSwarm
{
    public const string Peer = "QmYyQSo1c1Ym7orWxLYvCrM2EmxFTANf8wXmmE7DWjhx5N";

    /// <summary>Every ping to a connected peer takes this long.</summary>
    public static readonly TimeSpan RoundTrip = TimeSpan.FromMilliseconds(1.5);

    private readonly List<Multiaddr> _connected = [];

    public IReadOnlyList<RpcSwarmPeer> GetPeers() =>
        [.. _connected.Select(a => new RpcSwarmPeer(a.WithoutPeerId().ToString(), a.PeerId!.Value.ToString(), 2))];

    public ValueTask<PeerId> ConnectAsync(Multiaddr address, CancellationToken cancellationToken)
    {
        _connected.Add(address);
        return ValueTask.FromResult(address.PeerId!.Value);
    }

    public ValueTask<PeerId> DisconnectAsync(Multiaddr address, CancellationToken cancellationToken)
    {
        _connected.RemoveAll(a => a.PeerId == address.PeerId);
        return ValueTask.FromResult(address.PeerId!.Value);
    }

    public IReadOnlyDictionary<string, IReadOnlyList<string>> GetKnownAddresses() =>
        _connected.ToDictionary(a => a.PeerId!.Value.ToString(), a => (IReadOnlyList<string>)[a.WithoutPeerId().ToString()]);

    public IReadOnlyList<Multiaddr> GetListenAddresses() => [Multiaddr.Parse("/ip4/127.0.0.1/tcp/4001")];

    public PeerId LocalPeer { get; } = PeerId.Parse("12D3KooWD3eckifWpRn9wQpMG9R9hX3sD158z7EqHWmweQAJU5SA");

    public Task<TimeSpan> PingAsync(PeerId peer, CancellationToken cancellationToken) =>
        _connected.Any(a => a.PeerId == peer) ? Task.FromResult(RoundTrip) : Task.FromException<TimeSpan>(new Libp2pException($"no addresses for {peer}"));
}
