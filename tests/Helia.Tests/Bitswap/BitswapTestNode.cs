using System.Threading.Channels;
using Helia.Bitswap;
using Helia.Bitswap.Messages;
using Helia.Core.Blocks;
using Helia.Core.Routing;
using Helia.Libp2p;
using Helia.Multiformats;

namespace Helia.Tests.Bitswap;

/// <summary>A memory host with a blockstore, a Bitswap service and a networked blockstore over it.</summary>
internal sealed class BitswapTestNode : IAsyncDisposable
{
    public BitswapTestNode(MemoryNetwork network, BitswapOptions? options = null, IContentRouter? router = null)
    {
        Host = new MemoryHost(network);
        Logs = new TestOutputLoggerFactory(Host.Id.ToString()[^6..]);
        Service = new BitswapService(Host, Local, options ?? new BitswapOptions { RebroadcastInterval = TimeSpan.FromMilliseconds(300) }, router, Logs);
        Blocks = new NetworkedBlockstore(Local, [new BitswapBlockBroker(Service)]);
        Service.Start();
    }

    public MemoryHost Host { get; }

    public MemoryBlockstore Local { get; } = new();

    public BitswapService Service { get; }

    /// <summary>What the service logged at Information or above (e.g. why it cut a peer off); also in the test's output.</summary>
    public TestOutputLoggerFactory Logs { get; }

    public NetworkedBlockstore Blocks { get; }

    public PeerId Id => Host.Id;

    public static List<(Cid Cid, byte[] Data)> MakeBlocks(int count, int minSize, int maxSize, int seed)
    {
        var random = new Random(seed);
        var blocks = new List<(Cid, byte[])>(count);
        for (int i = 0; i < count; i++)
        {
            byte[] data = new byte[random.Next(minSize, maxSize + 1)];
            random.NextBytes(data);
            blocks.Add((Cid.Compute(Multicodec.Raw, data), data));
        }

        return blocks;
    }

    public async Task PutAllAsync(IEnumerable<(Cid Cid, byte[] Data)> blocks, CancellationToken cancellationToken)
    {
        foreach ((Cid cid, byte[] data) in blocks)
        {
            await Local.PutAsync(cid, data, cancellationToken);
        }
    }

    /// <summary>Completes with the first inbound message from <paramref name="peer"/> that matches.</summary>
    public Task<BitswapMessage> NextMessageAsync(PeerId peer, Func<BitswapMessage, bool> match)
    {
        var received = new TaskCompletionSource<BitswapMessage>(TaskCreationOptions.RunContinuationsAsynchronously);
        void Handler(PeerId from, BitswapMessage message)
        {
            if (from == peer && match(message) && received.TrySetResult(message))
            {
                Service.MessageReceived -= Handler;
            }
        }

        Service.MessageReceived += Handler;
        return received.Task;
    }

    public async ValueTask DisposeAsync()
    {
        await Service.DisposeAsync();
        await Host.DisposeAsync();
    }
}

/// <summary>A peer that speaks raw Bitswap messages: what it receives lands in <see cref="Received"/>.</summary>
internal sealed class RawBitswapPeer : IAsyncDisposable
{
    private readonly IDisposable? _owned;
    private IStream? _stream;

    public RawBitswapPeer(MemoryNetwork network)
        : this(new MemoryHost(network))
    {
    }

    /// <summary>Over any host, e.g. a TCP <see cref="Libp2p.Host.Libp2pHost"/> (started by the caller); disposes the host, then <paramref name="owned"/>.</summary>
    public RawBitswapPeer(ILibp2pHost host, IDisposable? owned = null)
    {
        Host = host;
        _owned = owned;
        foreach (string protocol in BitswapService.Protocols)
        {
            Host.Handle(protocol, async (stream, ct) =>
            {
                while (await BitswapMessageCodec.ReadAsync(stream.Input, BitswapMessageCodec.MaxMessageSize, ct) is { } message)
                {
                    await Received.Writer.WriteAsync(message, ct);
                }
            });
        }
    }

    public ILibp2pHost Host { get; }

    public MemoryHost Memory => (MemoryHost)Host;

    public Channel<BitswapMessage> Received { get; } = Channel.CreateUnbounded<BitswapMessage>();

    public async Task SendAsync(PeerId to, BitswapMessage message, CancellationToken cancellationToken)
    {
        _stream ??= await Host.NewStreamAsync(to, [BitswapService.ProtocolId120], cancellationToken);
        BitswapMessageCodec.Write(message, BitswapProtocolVersion.V120, _stream.Output);
        await _stream.Output.FlushAsync(cancellationToken);
    }

    public async Task<BitswapMessage> ReceiveAsync(CancellationToken cancellationToken) =>
        await Received.Reader.ReadAsync(cancellationToken).AsTask().WaitAsync(TimeSpan.FromSeconds(10), cancellationToken);

    public async ValueTask DisposeAsync()
    {
        await Host.DisposeAsync();
        _owned?.Dispose();
    }
}
