using Helia.Bitswap;
using Helia.Core.Blocks;
using Helia.Libp2p.Crypto;
using Helia.Libp2p.Host;
using Helia.Multiformats;

namespace Helia.Tests.Bitswap;

/// <summary>C# to C# over real hosts: TCP on 127.0.0.1, Noise, Yamux.</summary>
public class BitswapTcpTests
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task WantAsync_BlocksOverTcp_FetchedAndVerified()
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        await using TcpNode provider = await TcpNode.StartAsync(ct);
        await using TcpNode fetcher = await TcpNode.StartAsync(ct);
        List<(Cid Cid, byte[] Data)> blocks = BitswapTestNode.MakeBlocks(3, 1, 300000, seed: 10);
        await PutAllAsync(provider, blocks, ct);
        await fetcher.Host.DialAsync(provider.Address, ct);

        foreach ((Cid cid, byte[] data) in blocks)
        {
            ReadOnlyMemory<byte> bytes = await fetcher.Blocks.GetAsync(cid, ct).AsTask().WaitAsync(s_timeout, ct);
            Assert.Equal(data, bytes.ToArray());
        }

        Assert.Equal(3, fetcher.Service.GetStat().BlocksReceived);
        Assert.Equal(3, provider.Service.GetLedger(fetcher.Host.Id)!.BlocksSent);
    }

    private static async Task PutAllAsync(TcpNode node, List<(Cid Cid, byte[] Data)> blocks, CancellationToken cancellationToken)
    {
        foreach ((Cid cid, byte[] data) in blocks)
        {
            await node.Local.PutAsync(cid, data, cancellationToken);
        }
    }

    private sealed class TcpNode : IAsyncDisposable
    {
        private readonly PrivateKey _key;

        private TcpNode(PrivateKey key, Libp2pHost host)
        {
            _key = key;
            Host = host;
            Service = new BitswapService(host, Local, new BitswapOptions { RebroadcastInterval = TimeSpan.FromSeconds(2) });
            Blocks = new NetworkedBlockstore(Local, [new BitswapBlockBroker(Service)]);
        }

        public Libp2pHost Host { get; }

        public MemoryBlockstore Local { get; } = new();

        public BitswapService Service { get; }

        public NetworkedBlockstore Blocks { get; }

        public Multiaddr Address => Host.ListenAddresses[0];

        public static async Task<TcpNode> StartAsync(CancellationToken cancellationToken)
        {
            PrivateKey key = Ed25519PrivateKey.Generate();
            var host = Libp2pHost.Create(new Libp2pHostOptions { ListenAddresses = [Multiaddr.Parse("/ip4/127.0.0.1/tcp/0")] }, key);
            var node = new TcpNode(key, host);
            node.Service.Start();
            await host.StartAsync(cancellationToken);
            return node;
        }

        public async ValueTask DisposeAsync()
        {
            await Service.DisposeAsync();
            await Host.DisposeAsync();
            _key.Dispose();
        }
    }
}
