using System.Buffers;
using System.IO.Pipelines;
using System.Net.Sockets;
using Helia.Libp2p.Transports.Memory;
using Helia.Libp2p.Transports.Tcp;
using Helia.Multiformats;

namespace Helia.Libp2p.Tests.Transports;

/// <summary>The same checks for every transport: listen, dial, carry bytes both ways, half-close, stop listening.</summary>
public abstract class TransportTests
{
    protected static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    protected abstract ITransport CreateTransport();

    protected abstract Multiaddr ListenAddress { get; }

    [Fact]
    public async Task DialAsync_Listening_CarriesBytesBothWaysAndHalfCloses()
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        ITransport transport = CreateTransport();
        await using ITransportListener listener = await transport.ListenAsync(ListenAddress, ct);
        Assert.True(transport.CanDial(listener.Address));

        await using Connected connected = await ConnectAsync(transport, listener, ct);
        (ITransportConnection dialer, ITransportConnection accepted) = connected;
        Assert.Equal(listener.Address, dialer.RemoteAddress);

        byte[] payload = new byte[1 << 20];
        new Random(3).NextBytes(payload);
        Task write = WriteAndCompleteAsync(dialer.Output, payload, ct);
        byte[] received = await ReadToEndAsync(accepted.Input, ct).WaitAsync(Timeout, ct);
        await write;
        Assert.Equal(payload, received);

        await WriteAndCompleteAsync(accepted.Output, "bye"u8.ToArray(), ct);
        Assert.Equal("bye"u8.ToArray(), await ReadToEndAsync(dialer.Input, ct).WaitAsync(Timeout, ct));
    }

    [Fact]
    public async Task DialAsync_BothSidesSend64MiBAtOnce_BothArriveIntact()
    {
        // Each side writes far more than the kernel buffers hold while the other does the same: a writer that blocks on
        // a full send buffer must not keep its own side from reading, or both stall.
        CancellationToken ct = TestContext.Current.CancellationToken;
        ITransport transport = CreateTransport();
        await using ITransportListener listener = await transport.ListenAsync(ListenAddress, ct);
        await using Connected connected = await ConnectAsync(transport, listener, ct);
        (ITransportConnection dialer, ITransportConnection accepted) = connected;
        byte[] pattern = new byte[1 << 20];
        new Random(5).NextBytes(pattern);
        const long Total = 64L << 20;

        Task[] transfers =
        [
            WritePatternAsync(dialer.Output, pattern, Total, ct),
            WritePatternAsync(accepted.Output, pattern, Total, ct),
            ReadPatternAsync(dialer.Input, pattern, Total, ct),
            ReadPatternAsync(accepted.Input, pattern, Total, ct),
        ];

        await Task.WhenAll(transfers).WaitAsync(TimeSpan.FromSeconds(60), ct);
    }

    [Fact]
    public async Task AcceptAsync_ListenerDisposed_ThrowsOperationCanceled()
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        ITransportListener listener = await CreateTransport().ListenAsync(ListenAddress, ct);
        Task<ITransportConnection> accepting = listener.AcceptAsync(ct).AsTask();

        await listener.DisposeAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => accepting.WaitAsync(Timeout, ct));
    }

    [Fact]
    public async Task Abort_OneSide_TheOtherSideSeesTheEnd()
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        ITransport transport = CreateTransport();
        await using ITransportListener listener = await transport.ListenAsync(ListenAddress, ct);
        await using Connected connected = await ConnectAsync(transport, listener, ct);
        (ITransportConnection dialer, ITransportConnection accepted) = connected;

        dialer.Abort(new InvalidOperationException("test"));

        await WhenCancelledAsync(dialer.Closed).WaitAsync(Timeout, ct);
        try
        {
            ReadResult result = await accepted.Input.ReadAsync(ct).AsTask().WaitAsync(Timeout, ct);
            Assert.True(result.IsCompleted);
        }
        catch (Exception ex) when (ex is not TimeoutException)
        {
            // The peer's end surfaces as an error: equally an end of the input.
        }
    }

    /// <summary>Writes <paramref name="total"/> bytes of <paramref name="pattern"/> repeated, in 64 KiB writes, then completes.</summary>
    internal static async Task WritePatternAsync(PipeWriter output, byte[] pattern, long total, CancellationToken ct)
    {
        const int Chunk = 64 * 1024;
        for (long sent = 0; sent < total; sent += Chunk)
        {
            int offset = (int)(sent % pattern.Length);
            FlushResult flushed = await output.WriteAsync(pattern.AsMemory(offset, Chunk), ct);
            Assert.False(flushed.IsCompleted, "The reader went away during the transfer.");
        }

        await output.CompleteAsync();
    }

    /// <summary>Reads to the end and checks it is exactly <paramref name="total"/> bytes of <paramref name="pattern"/> repeated.</summary>
    internal static async Task ReadPatternAsync(PipeReader input, byte[] pattern, long total, CancellationToken ct)
    {
        long received = 0;
        while (true)
        {
            ReadResult result = await input.ReadAsync(ct);
            foreach (ReadOnlyMemory<byte> segment in result.Buffer)
            {
                ReadOnlySpan<byte> span = segment.Span;
                while (!span.IsEmpty)
                {
                    Assert.True(received < total, $"More than the {total} bytes expected arrived.");
                    int offset = (int)(received % pattern.Length);
                    int length = Math.Min(span.Length, pattern.Length - offset);
                    Assert.True(span[..length].SequenceEqual(pattern.AsSpan(offset, length)), $"The bytes at {received} differ from those sent.");
                    span = span[length..];
                    received += length;
                }
            }

            input.AdvanceTo(result.Buffer.End);
            if (result.IsCompleted)
            {
                Assert.Equal(total, received);
                return;
            }
        }
    }

    protected static async Task ExchangeByteAsync(ITransportConnection from, ITransportConnection to, CancellationToken ct)
    {
        await from.Output.WriteAsync(new byte[] { 42 }, ct);
        ReadResult result = await to.Input.ReadAsync(ct);
        Assert.Equal(1, result.Buffer.Length);
        to.Input.AdvanceTo(result.Buffer.End);
    }

    /// <summary>Dials <paramref name="listener"/> and returns both ends of the connection, disposed together.</summary>
    protected static async Task<Connected> ConnectAsync(ITransport transport, ITransportListener listener, CancellationToken ct)
    {
        Task<ITransportConnection> accepting = listener.AcceptAsync(ct).AsTask();
        ITransportConnection dialer = await transport.DialAsync(listener.Address, ct).AsTask().WaitAsync(Timeout, ct);
        return new Connected(dialer, await accepting.WaitAsync(Timeout, ct));
    }

    protected static Task WhenCancelledAsync(CancellationToken token)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        token.Register(() => done.TrySetResult());
        return done.Task;
    }

    protected static async Task WriteAndCompleteAsync(PipeWriter output, byte[] payload, CancellationToken ct)
    {
        await output.WriteAsync(payload, ct);
        await output.CompleteAsync();
    }

    protected static async Task<byte[]> ReadToEndAsync(PipeReader input, CancellationToken ct)
    {
        var received = new ArrayBufferWriter<byte>();
        while (true)
        {
            ReadResult result = await input.ReadAsync(ct);
            foreach (ReadOnlyMemory<byte> segment in result.Buffer)
            {
                received.Write(segment.Span);
            }

            input.AdvanceTo(result.Buffer.End);
            if (result.IsCompleted)
            {
                return received.WrittenSpan.ToArray();
            }
        }
    }

    /// <summary>The dialer's end of a connection and the end its listener accepted.</summary>
    protected sealed record Connected(ITransportConnection Dialer, ITransportConnection Accepted) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await Accepted.DisposeAsync();
            await Dialer.DisposeAsync();
        }
    }
}

public class TcpTransportTests : TransportTests
{
    protected override ITransport CreateTransport() => new TcpTransport();

    protected override Multiaddr ListenAddress => Multiaddr.Parse("/ip4/127.0.0.1/tcp/0");

    [Fact]
    public async Task ListenAsync_PortZero_ReportsTheBoundPort()
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        await using ITransportListener listener = await CreateTransport().ListenAsync(ListenAddress, ct);

        Assert.True(listener.Address.TryGetTcpEndPoint(out var endPoint));
        Assert.NotEqual(0, endPoint.Port);
        Assert.StartsWith("/ip4/127.0.0.1/tcp/", listener.Address.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ListenAsync_Ip6Loopback_DialsAndAccepts()
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        if (!Socket.OSSupportsIPv6)
        {
            Assert.Skip("IPv6 is not available on this machine.");
        }

        var transport = new TcpTransport();
        ITransportListener listener;
        try
        {
            listener = await transport.ListenAsync(Multiaddr.Parse("/ip6/::1/tcp/0"), ct);
        }
        catch (Libp2pException ex)
        {
            Assert.Skip($"IPv6 loopback is not usable here: {ex.Message}");
            throw;
        }

        await using (listener)
        {
            await using Connected connected = await ConnectAsync(transport, listener, ct);
            (ITransportConnection dialer, ITransportConnection accepted) = connected;
            Assert.StartsWith("/ip6/::1/tcp/", accepted.LocalAddress.ToString(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Output_ManySegmentsInOneFlush_ArriveWholeAndInOrder()
    {
        // Pieces larger than the pipe's 16 KiB segments each start a segment of their own, so one flush queues about
        // 150 of them: the send loop gathers them into system calls of at most 8 segments, and the kernel may take
        // only part of a call, so every boundary (between segments, between calls, inside a partial send) is crossed.
        CancellationToken ct = TestContext.Current.CancellationToken;
        ITransport transport = CreateTransport();
        await using ITransportListener listener = await transport.ListenAsync(ListenAddress, ct);
        await using Connected connected = await ConnectAsync(transport, listener, ct);
        (ITransportConnection dialer, ITransportConnection accepted) = connected;
        var random = new Random(11);
        var expected = new ArrayBufferWriter<byte>();
        for (int piece = 0; piece < 150; piece++)
        {
            Span<byte> span = dialer.Output.GetSpan(17_000);
            int length = random.Next(16_500, 17_001);
            random.NextBytes(span[..length]);
            expected.Write(span[..length]);
            dialer.Output.Advance(length);
        }

        Task<byte[]> reading = ReadToEndAsync(accepted.Input, ct);
        await dialer.Output.FlushAsync(ct).AsTask().WaitAsync(Timeout, ct);
        await dialer.Output.CompleteAsync();

        byte[] received = await reading.WaitAsync(Timeout, ct);
        Assert.True(expected.WrittenSpan.SequenceEqual(received), "The bytes received differ from those sent.");
    }

    [Fact]
    public async Task IdleConnections_PinNoReceiveBuffer()
    {
        // A node keeps hundreds of mostly idle connections. Each receive loop waits for data with a zero-byte receive
        // before it takes a buffer, and the pipe lets its last segment go once the reader has consumed it, so an idle
        // connection pins none of the 256 KiB receive buffers (it once held one each while waiting). The pool counts
        // only these connections' buffers: the process's heap also holds whatever tests running alongside allocate.
        CancellationToken ct = TestContext.Current.CancellationToken;
        const int Pairs = 100;
        var pool = new CountingMemoryPool();
        var transport = new TcpTransport(new TcpTransportOptions { MemoryPool = pool });
        await using ITransportListener listener = await transport.ListenAsync(ListenAddress, ct);
        var connections = new List<Connected>();
        try
        {
            for (int i = 0; i < Pairs; i++)
            {
                Connected connected = await ConnectAsync(transport, listener, ct);
                connections.Add(connected);
                (ITransportConnection dialer, ITransportConnection accepted) = connected;

                // One byte each way, read and consumed: both receive loops have received and wait again.
                await ExchangeByteAsync(dialer, accepted, ct).WaitAsync(Timeout, ct);
                await ExchangeByteAsync(accepted, dialer, ct).WaitAsync(Timeout, ct);
            }

            // A send loop may not yet have given back the 16 KiB segment of a byte its peer has already read, hence
            // the margin; a receive buffer held by each idle connection would be 256 KiB each.
            long perConnection = pool.OutstandingBytes / (2 * Pairs);
            Assert.True(perConnection < 16 * 1024, $"Each idle connection holds {perConnection >> 10} KiB of pooled buffers.");
        }
        finally
        {
            foreach (Connected connection in connections)
            {
                await connection.DisposeAsync();

                // The consumer lets go of what it reads, as the security channel does when it closes.
                await connection.Dialer.Input.CompleteAsync();
                await connection.Accepted.Input.CompleteAsync();
            }
        }

        Assert.Equal(0, pool.OutstandingBytes);
    }

    [Fact]
    public void Constructor_InvalidOptions_Throw()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new TcpTransport(new TcpTransportOptions { DialTimeout = TimeSpan.Zero }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new TcpTransport(new TcpTransportOptions { Backlog = 0 }));
        Assert.Throws<ArgumentNullException>(() => new TcpTransport(new TcpTransportOptions { MemoryPool = null! }));
    }

    [Fact]
    public async Task DialAsync_NothingListening_ThrowsLibp2pException()
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        var transport = new TcpTransport();
        Multiaddr address;
        await using (ITransportListener listener = await transport.ListenAsync(ListenAddress, ct))
        {
            address = listener.Address;
        }

        await Assert.ThrowsAsync<Libp2pException>(() => transport.DialAsync(address, ct).AsTask().WaitAsync(Timeout, ct));
    }

    [Fact]
    public void CanDial_OtherShapes_False()
    {
        var transport = new TcpTransport();

        Assert.True(transport.CanDial(Multiaddr.Parse("/ip4/127.0.0.1/tcp/4001/p2p/12D3KooWD3eckifWpRn9wQpMG9R9hX3sD158z7EqHWmweQAJU5SA")));
        Assert.False(transport.CanDial(Multiaddr.Parse("/ip4/127.0.0.1/udp/4001")));
        Assert.False(transport.CanDial(Multiaddr.Parse("/memory/1")));
        Assert.False(transport.CanDial(Multiaddr.Parse("/ip4/127.0.0.1/tcp/4001/ws")));
    }
}

public class MemoryTransportTests : TransportTests
{
    private readonly MemoryTransportHub _hub = new();

    protected override ITransport CreateTransport() => new MemoryTransport(_hub);

    protected override Multiaddr ListenAddress => Multiaddr.Parse("/memory/0");

    [Fact]
    public async Task DialAsync_UnknownName_ThrowsLibp2pException()
    {
        await Assert.ThrowsAsync<Libp2pException>(
            () => CreateTransport().DialAsync(Multiaddr.Parse("/memory/nobody"), TestContext.Current.CancellationToken).AsTask());
    }
}
