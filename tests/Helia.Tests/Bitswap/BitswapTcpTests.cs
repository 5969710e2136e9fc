using Helia.Bitswap;
using Helia.Bitswap.Messages;
using Helia.Core.Blocks;
using Helia.Libp2p;
using Helia.Libp2p.Crypto;
using Helia.Libp2p.Host;
using Helia.Multiformats;
using Helia.UnixFS;

namespace Helia.Tests.Bitswap;

/// <summary>C# to C# over real hosts: TCP on 127.0.0.1, Noise, Yamux.</summary>
public class BitswapTcpTests
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(60);
    private static readonly Multiaddr s_loopback = Multiaddr.Parse("/ip4/127.0.0.1/tcp/0");

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

    [Fact]
    public async Task GetAsync_ThreeThousandRawBlocksOverTcp_FetchedVerifiedAndStored()
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        await using TcpNode provider = await TcpNode.StartAsync(ct);
        await using TcpNode fetcher = await TcpNode.StartAsync(ct);
        List<(Cid Cid, byte[] Data)> blocks = BitswapTestNode.MakeBlocks(3000, 1, 16384, seed: 20);
        await PutAllAsync(provider, blocks, ct);
        await fetcher.Host.DialAsync(provider.Address, ct);

        ReadOnlyMemory<byte>[] fetched = await Task.WhenAll(blocks.Select(b => fetcher.Blocks.GetAsync(b.Cid, ct).AsTask())).WaitAsync(s_timeout, ct);

        for (int i = 0; i < blocks.Count; i++)
        {
            Assert.True(fetched[i].Span.SequenceEqual(blocks[i].Data), $"block {i}");
            Assert.True(await fetcher.Local.HasAsync(blocks[i].Cid, ct));
        }

        long total = blocks.Sum(b => (long)b.Data.Length);
        BitswapStat stat = fetcher.Service.GetStat();
        Assert.Equal(3000, stat.BlocksReceived);
        Assert.Equal(total, stat.DataReceived);
        Assert.Equal(0, stat.DuplicateBlocksReceived);
        Assert.Empty(stat.Wantlist);
        Assert.Equal(total, provider.Service.GetLedger(fetcher.Host.Id)!.BytesSent);
    }

    [Fact]
    public async Task Cat_64MiBUnixFsFileOverTcpSession_SameBytesAndEveryBlockStored()
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        await using TcpNode provider = await TcpNode.StartAsync(ct);
        await using TcpNode fetcher = await TcpNode.StartAsync(ct);
        byte[] file = RandomBytes(25, 64 << 20);
        Cid root = await new HeliaUnixFS(provider.Local).AddBytesAsync(file, cancellationToken: ct);
        await fetcher.Host.DialAsync(provider.Address, ct);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        deadline.CancelAfter(s_timeout);

        var fs = new HeliaUnixFS(fetcher.Blocks.CreateSession(root));
        int offset = 0;
        await foreach (ReadOnlyMemory<byte> chunk in fs.CatAsync(root.ToString(), cancellationToken: deadline.Token))
        {
            Assert.True(chunk.Span.SequenceEqual(file.AsSpan(offset, chunk.Length)), $"bytes at {offset}");
            offset += chunk.Length;
        }

        Assert.Equal(file.Length, offset);
        await foreach (Cid cid in ((IBlockstore)provider.Local).GetAllCidsAsync(ct))
        {
            Assert.True(await fetcher.Local.HasAsync(cid, ct), $"{cid} was not stored");
        }
    }

    [Fact]
    public async Task Session_TwoProvidersOverTcp_FetchesEverythingWithBoundedDuplicateBytes()
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        await using TcpNode a = await TcpNode.StartAsync(ct);
        await using TcpNode b = await TcpNode.StartAsync(ct);
        await using TcpNode fetcher = await TcpNode.StartAsync(ct);
        List<(Cid Cid, byte[] Data)> blocks = BitswapTestNode.MakeBlocks(1000, 1025, 16384, seed: 21);
        await PutAllAsync(a, blocks, ct);
        await PutAllAsync(b, blocks, ct);
        await fetcher.Host.DialAsync(a.Address, ct);
        await fetcher.Host.DialAsync(b.Address, ct);
        IBlockstore session = fetcher.Blocks.CreateSession(blocks[0].Cid);

        Assert.Equal(blocks[0].Data, (await session.GetAsync(blocks[0].Cid, ct).AsTask().WaitAsync(s_timeout, ct)).ToArray());
        ReadOnlyMemory<byte>[] rest = await Task.WhenAll(blocks.Skip(1).Select(x => session.GetAsync(x.Cid, ct).AsTask())).WaitAsync(s_timeout, ct);

        for (int i = 1; i < blocks.Count; i++)
        {
            Assert.True(rest[i - 1].Span.SequenceEqual(blocks[i].Data), $"block {i}");
        }

        long total = blocks.Sum(x => (long)x.Data.Length);
        BitswapStat stat = fetcher.Service.GetStat();
        long bytesSent = a.Service.GetLedger(fetcher.Host.Id)!.BytesSent + b.Service.GetLedger(fetcher.Host.Id)!.BytesSent;
        Assert.Equal(1000, stat.BlocksReceived);
        Assert.Equal(total, stat.DataReceived);
        Assert.InRange(stat.DuplicateDataReceived, 0, total / 20);   // at most 5% of the bytes twice
        Assert.InRange(bytesSent, total, total + (total / 20));
    }

    [Fact]
    public async Task Session_ProviderDiesMidFetchOverTcp_SecondProviderCompletes()
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        await using TcpNode a = await TcpNode.StartAsync(ct);
        await using TcpNode b = await TcpNode.StartAsync(ct);
        await using TcpNode fetcher = await TcpNode.StartAsync(ct);
        List<(Cid Cid, byte[] Data)> blocks = BitswapTestNode.MakeBlocks(1200, 1025, 16384, seed: 22);
        await PutAllAsync(a, blocks, ct);
        await PutAllAsync(b, blocks, ct);
        await fetcher.Host.DialAsync(a.Address, ct);
        IBlockstore session = fetcher.Blocks.CreateSession(blocks[0].Cid);
        await Task.WhenAll(blocks.Take(600).Select(x => session.GetAsync(x.Cid, ct).AsTask())).WaitAsync(s_timeout, ct);

        Task<ReadOnlyMemory<byte>[]> rest = Task.WhenAll(blocks.Skip(600).Select(x => session.GetAsync(x.Cid, ct).AsTask()));
        await a.DisposeAsync();   // its sockets close with wants in flight (disposing twice is harmless)
        bool finishedByA = rest.IsCompleted;   // possible on a fast run; then B has nothing left to do
        await fetcher.Host.DialAsync(b.Address, ct);
        ReadOnlyMemory<byte>[] fetched = await rest.WaitAsync(s_timeout, ct);

        for (int i = 0; i < fetched.Length; i++)
        {
            Assert.True(fetched[i].Span.SequenceEqual(blocks[600 + i].Data), $"block {600 + i}");
        }

        Assert.Equal(1200, fetcher.Service.GetStat().BlocksReceived);
        Assert.True(finishedByA || b.Service.GetLedger(fetcher.Host.Id)?.BlocksSent > 0);
    }

    [Fact]
    public async Task Client_CorruptBlockOverTcp_RejectedNeverStoredAndPeerDropped()
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        await using TcpNode fetcher = await TcpNode.StartAsync(ct, new BitswapOptions { MaxUnwantedBlocksPerPeer = 0, RebroadcastInterval = TimeSpan.FromMilliseconds(300) });
        await using RawBitswapPeer liar = await StartRawPeerAsync(ct);
        await using TcpNode honest = await TcpNode.StartAsync(ct);
        byte[] data = RandomBytes(23, 5000);
        Cid cid = Cid.Compute(Multicodec.Raw, data);
        await honest.Local.PutAsync(cid, data, ct);
        CancellationToken liarConnectionClosed = (await fetcher.Host.DialAsync(liar.Host.ListenAddresses[0].WithPeerId(liar.Host.Id), ct)).Closed;

        Task<ReadOnlyMemory<byte>> get = fetcher.Blocks.GetAsync(cid, ct).AsTask();
        BitswapMessage want = await liar.ReceiveAsync(ct);
        Assert.Contains(want.Wantlist, e => e.Cid == cid);
        var corrupt = new BitswapMessage();
        byte[] forged = (byte[])data.Clone();
        forged[2500] ^= 1;   // one flipped bit, under the right CID prefix
        corrupt.Blocks.Add(new BitswapBlock(cid, forged));
        await liar.SendAsync(fetcher.Host.Id, corrupt, ct);

        await Task.Delay(Timeout.Infinite, liarConnectionClosed).ContinueWith(_ => { }, TaskScheduler.Default).WaitAsync(s_timeout, ct);
        Assert.False(get.IsCompleted);
        Assert.False(await fetcher.Local.HasAsync(cid, ct));
        Assert.Equal(0, fetcher.Service.GetStat().BlocksReceived);

        await fetcher.Host.DialAsync(honest.Address, ct);
        Assert.Equal(data, (await get.WaitAsync(s_timeout, ct)).ToArray());
        Assert.True(await fetcher.Local.HasAsync(cid, ct));
    }

    [Fact]
    public async Task Engine_WantFloodOverTcp_PeerCutOffWhileOthersAreServed()
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        await using TcpNode provider = await TcpNode.StartAsync(ct);
        await using RawBitswapPeer flooder = await StartRawPeerAsync(ct);
        await using TcpNode honest = await TcpNode.StartAsync(ct);
        List<(Cid Cid, byte[] Data)> blocks = BitswapTestNode.MakeBlocks(200, 100, 20000, seed: 24);
        await PutAllAsync(provider, blocks, ct);
        await honest.Host.DialAsync(provider.Address, ct);
        CancellationToken flooderConnectionClosed = (await flooder.Host.DialAsync(provider.Address, ct)).Closed;

        var flood = new BitswapMessage();
        for (int i = 0; i <= BitswapOptions.DefaultMaxWantsPerPeer; i++)
        {
            flood.Wantlist.Add(new WantlistEntry(Cid.Compute(Multicodec.Raw, BitConverter.GetBytes(i))));
        }

        Task<ReadOnlyMemory<byte>[]> served = Task.WhenAll(blocks.Select(b => honest.Blocks.GetAsync(b.Cid, ct).AsTask()));
        await flooder.SendAsync(provider.Host.Id, flood, ct);
        await Task.Delay(Timeout.Infinite, flooderConnectionClosed).ContinueWith(_ => { }, TaskScheduler.Default).WaitAsync(s_timeout, ct);

        Assert.Empty(provider.Service.GetWantlist(flooder.Host.Id));
        ReadOnlyMemory<byte>[] fetched = await served.WaitAsync(s_timeout, ct);
        for (int i = 0; i < blocks.Count; i++)
        {
            Assert.True(fetched[i].Span.SequenceEqual(blocks[i].Data), $"block {i}");
        }

        Assert.Contains(provider.Host.Connections, c => c.RemotePeer == honest.Host.Id);
    }

    /// <summary>
    /// An old peer (ipfs-bitswap, the js-ipfs Bitswap) opens a new stream for every message and sends each block in a
    /// message of its own, so a burst of blocks arrives on many concurrent streams; it does not resend a block whose
    /// stream we reset. Here the streams stay open until every block arrived, so all 48 are open at once: each must be
    /// accepted and read (the host's default of 32 inbound streams per protocol lost 16 of the blocks).
    /// </summary>
    [Fact]
    public async Task Client_OldPeerSendsEachBlockOnItsOwnStream_ManyStreamsAtOnceAllRead()
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        await using TcpNode fetcher = await TcpNode.StartAsync(ct);
        await using RawBitswapPeer old = await StartRawPeerAsync(ct);
        List<(Cid Cid, byte[] Data)> blocks = BitswapTestNode.MakeBlocks(48, 2000, 4000, seed: 26);
        await fetcher.Host.DialAsync(old.Host.ListenAddresses[0].WithPeerId(old.Host.Id), ct);

        Task<ReadOnlyMemory<byte>[]> all = Task.WhenAll(blocks.Select(b => fetcher.Blocks.GetAsync(b.Cid, ct).AsTask()));
        var wanted = new HashSet<Cid>();
        while (wanted.Count < blocks.Count)
        {
            wanted.UnionWith((await old.ReceiveAsync(ct)).Wantlist.Where(e => !e.Cancel).Select(e => e.Cid));
        }

        var streams = new List<IStream>(blocks.Count);
        try
        {
            foreach ((Cid cid, byte[] data) in blocks)
            {
                IStream stream = await old.Host.NewStreamAsync(fetcher.Host.Id, [BitswapService.ProtocolId110], ct);
                streams.Add(stream);
                var message = new BitswapMessage();
                message.Blocks.Add(new BitswapBlock(cid, data));
                BitswapMessageCodec.Write(message, BitswapProtocolVersion.V110, stream.Output);
                await stream.Output.FlushAsync(ct);
            }

            ReadOnlyMemory<byte>[] fetched = await all.WaitAsync(TimeSpan.FromSeconds(10), ct);
            for (int i = 0; i < blocks.Count; i++)
            {
                Assert.True(fetched[i].Span.SequenceEqual(blocks[i].Data), $"block {i}");
            }

            Assert.Equal(blocks.Count, fetcher.Service.GetStat().BlocksReceived);
        }
        finally
        {
            foreach (IStream stream in streams)
            {
                await stream.DisposeAsync();
            }
        }
    }

    /// <summary>A TCP host that speaks raw Bitswap messages (for lying and flooding).</summary>
    private static async Task<RawBitswapPeer> StartRawPeerAsync(CancellationToken cancellationToken)
    {
        PrivateKey key = Ed25519PrivateKey.Generate();
        var peer = new RawBitswapPeer(Libp2pHost.Create(new Libp2pHostOptions { ListenAddresses = [s_loopback] }, key), key);
        await peer.Host.StartAsync(cancellationToken);
        return peer;
    }

    private static byte[] RandomBytes(int seed, int length)
    {
        byte[] bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
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
        private int _disposed;

        private TcpNode(PrivateKey key, Libp2pHost host, BitswapOptions? options)
        {
            _key = key;
            Host = host;
            Service = new BitswapService(host, Local, options ?? new BitswapOptions { RebroadcastInterval = TimeSpan.FromSeconds(2) });
            Blocks = new NetworkedBlockstore(Local, [new BitswapBlockBroker(Service)]);
        }

        public Libp2pHost Host { get; }

        public MemoryBlockstore Local { get; } = new();

        public BitswapService Service { get; }

        public NetworkedBlockstore Blocks { get; }

        public Multiaddr Address => Host.ListenAddresses[0];

        public static async Task<TcpNode> StartAsync(CancellationToken cancellationToken, BitswapOptions? options = null)
        {
            PrivateKey key = Ed25519PrivateKey.Generate();
            var host = Libp2pHost.Create(new Libp2pHostOptions { ListenAddresses = [s_loopback] }, key);
            var node = new TcpNode(key, host, options);
            node.Service.Start();
            await host.StartAsync(cancellationToken);
            return node;
        }

        public async ValueTask DisposeAsync()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 1)
            {
                return;
            }

            await Service.DisposeAsync();
            await Host.DisposeAsync();
            _key.Dispose();
        }
    }
}
