using System.Buffers;
using System.IO.Pipelines;
using System.Security.Cryptography;

namespace Helia.Libp2p.Tests.Muxing;

/// <summary>
/// Behaviour every <see cref="IStreamMuxer"/> must have (as go-libp2p's p2p/muxer/testsuite), over an in-memory
/// duplex pipe pair. A muxer's test class derives from this and supplies <see cref="CreateMuxer"/>.
/// </summary>
public abstract class MuxerConformanceTests
{
    protected static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);

    protected static CancellationToken Token => TestContext.Current.CancellationToken;

    /// <summary>The receive window a stream starts with: the most a peer may send to a reader that does not read.</summary>
    protected abstract long InitialWindow { get; }

    protected abstract IStreamMuxer CreateMuxer();

    [Fact]
    public async Task OpenStream_WriteBeforeAccept_DataArrivesAtAcceptedStream()
    {
        await using Session session = Connect();

        await using IMuxedStream opened = await session.Dialer.OpenStreamAsync(Token);
        await opened.Output.WriteAsync("hello"u8.ToArray(), Token);
        await using IMuxedStream accepted = await session.Listener.AcceptStreamAsync(Token).AsTask().WaitAsync(Timeout, Token);

        ReadResult result = await accepted.Input.ReadAtLeastAsync(5, Token).AsTask().WaitAsync(Timeout, Token);
        Assert.Equal("hello"u8.ToArray(), result.Buffer.Slice(0, 5).ToArray());
        accepted.Input.AdvanceTo(result.Buffer.GetPosition(5));
        Assert.Equal(opened.Id, accepted.Id);
    }

    [Fact]
    public async Task Read_WholeMessageLargerThanWindow_Completes()
    {
        // A reader that examines without consuming until a whole message is buffered (length-prefixed protocols such
        // as Bitswap) must still receive a message several windows long.
        await using Session session = Connect();
        byte[] message = new byte[(int)InitialWindow * 4];
        Random.Shared.NextBytes(message);

        await using IMuxedStream opened = await session.Dialer.OpenStreamAsync(Token);
        Task write = opened.Output.WriteAsync(message, Token).AsTask();
        await using IMuxedStream accepted = await session.Listener.AcceptStreamAsync(Token).AsTask().WaitAsync(Timeout, Token);
        ReadResult result = await accepted.Input.ReadAtLeastAsync(message.Length, Token).AsTask().WaitAsync(Timeout, Token);

        Assert.Equal(message, result.Buffer.Slice(0, message.Length).ToArray());
        accepted.Input.AdvanceTo(result.Buffer.GetPosition(message.Length));
        await write.WaitAsync(Timeout, Token);
    }

    [Fact]
    public async Task OpenStream_BothSides_IdsDoNotCollide()
    {
        await using Session session = Connect();

        await using IMuxedStream fromDialer = await session.Dialer.OpenStreamAsync(Token);
        await using IMuxedStream fromListener = await session.Listener.OpenStreamAsync(Token);
        await fromDialer.Output.WriteAsync(new byte[] { 1 }, Token);
        await fromListener.Output.WriteAsync(new byte[] { 2 }, Token);
        await using IMuxedStream atListener = await session.Listener.AcceptStreamAsync(Token).AsTask().WaitAsync(Timeout, Token);
        await using IMuxedStream atDialer = await session.Dialer.AcceptStreamAsync(Token).AsTask().WaitAsync(Timeout, Token);

        Assert.NotEqual(fromDialer.Id, fromListener.Id);
        Assert.Equal(fromDialer.Id, atListener.Id);
        Assert.Equal(fromListener.Id, atDialer.Id);
        Assert.Equal(1, await ReadByteAsync(atListener));
        Assert.Equal(2, await ReadByteAsync(atDialer));
    }

    [Fact]
    public async Task Echo_SmallMessage_ComesBack()
    {
        await using Session session = Connect();
        Task server = ServeEchoAsync(session.Listener, 1);
        byte[] payload = RandomNumberGenerator.GetBytes(1000);

        byte[] echoed = await EchoThroughAsync(session.Dialer, payload).WaitAsync(Timeout, Token);

        Assert.Equal(payload, echoed);
        await server.WaitAsync(Timeout, Token);
    }

    [Fact]
    public async Task Echo_100ConcurrentStreamsOf1MiB_AllCorrect()
    {
        const int Streams = 100;
        await using Session session = Connect();
        Task server = ServeEchoAsync(session.Listener, Streams);
        byte[][] payloads = [.. Enumerable.Range(0, Streams).Select(_ => RandomNumberGenerator.GetBytes(1024 * 1024))];

        byte[][] echoed = await Task.WhenAll(payloads.Select(p => EchoThroughAsync(session.Dialer, p))).WaitAsync(Timeout * 3, Token);

        for (int i = 0; i < Streams; i++)
        {
            Assert.True(payloads[i].AsSpan().SequenceEqual(echoed[i]), $"stream {i} was corrupted");
        }

        await server.WaitAsync(Timeout, Token);
    }

    [Fact]
    public async Task Transfer_OneStreamOf64MiB_ArrivesIntact()
    {
        const int Size = 64 * 1024 * 1024;
        await using Session session = Connect();
        await using IMuxedStream sender = await session.Dialer.OpenStreamAsync(Token);

        Task send = Task.Run(
            async () =>
            {
                var random = new Random(42);
                byte[] chunk = new byte[100_000];
                for (int sent = 0; sent < Size; sent += chunk.Length)
                {
                    int length = Math.Min(chunk.Length, Size - sent);
                    random.NextBytes(chunk.AsSpan(0, length));
                    await sender.Output.WriteAsync(chunk.AsMemory(0, length), Token);
                }

                await sender.Output.CompleteAsync();
            },
            Token);

        await using IMuxedStream receiver = await session.Listener.AcceptStreamAsync(Token).AsTask().WaitAsync(Timeout, Token);
        long received = await VerifyRandomStreamAsync(receiver.Input, 42).WaitAsync(Timeout * 3, Token);

        Assert.Equal(Size, received);
        await send.WaitAsync(Timeout, Token);
    }

    [Fact]
    public async Task HalfClose_EachDirection_OtherDirectionKeepsWorking()
    {
        await using Session session = Connect();
        await using IMuxedStream a = await session.Dialer.OpenStreamAsync(Token);
        await a.Output.WriteAsync("request"u8.ToArray(), Token);
        await a.Output.CompleteAsync();
        await using IMuxedStream b = await session.Listener.AcceptStreamAsync(Token).AsTask().WaitAsync(Timeout, Token);

        // b sees the request and then the end of a's direction...
        Assert.Equal("request"u8.ToArray(), await ReadToEndAsync(b.Input).WaitAsync(Timeout, Token));

        // ...and can still answer: a's read side is open.
        await b.Output.WriteAsync("response"u8.ToArray(), Token);
        await b.Output.CompleteAsync();
        Assert.Equal("response"u8.ToArray(), await ReadToEndAsync(a.Input).WaitAsync(Timeout, Token));
    }

    [Fact]
    public async Task Reset_ByOneSide_OtherSideReadAndWriteThrowStreamReset()
    {
        await using Session session = Connect();
        await using IMuxedStream a = await session.Dialer.OpenStreamAsync(Token);
        await a.Output.WriteAsync(new byte[] { 1 }, Token);
        await using IMuxedStream b = await session.Listener.AcceptStreamAsync(Token).AsTask().WaitAsync(Timeout, Token);
        Assert.Equal(1, await ReadByteAsync(b));

        a.Reset();

        await Assert.ThrowsAsync<StreamResetException>(async () =>
        {
            while (true)
            {
                ReadResult result = await b.Input.ReadAsync(Token);
                b.Input.AdvanceTo(result.Buffer.End);
                if (result.IsCompleted)
                {
                    return;                              // a clean end is wrong: a reset must surface as an error
                }
            }
        }).WaitAsync(Timeout, Token);
        await Assert.ThrowsAsync<StreamResetException>(async () =>
        {
            while (true)
            {
                await b.Output.WriteAsync(new byte[1024], Token);
            }
        }).WaitAsync(Timeout, Token);
        await Assert.ThrowsAsync<StreamResetException>(async () => await a.Input.ReadAsync(Token)).WaitAsync(Timeout, Token);
    }

    [Fact]
    public async Task Reset_OneStream_OtherStreamsUnaffected()
    {
        await using Session session = Connect();
        Task server = ServeEchoAsync(session.Listener, 2);
        await using IMuxedStream doomed = await session.Dialer.OpenStreamAsync(Token);
        doomed.Reset();

        byte[] payload = RandomNumberGenerator.GetBytes(300_000);
        byte[] echoed = await EchoThroughAsync(session.Dialer, payload).WaitAsync(Timeout, Token);

        Assert.Equal(payload, echoed);
        await server.WaitAsync(Timeout, Token);
    }

    [Fact]
    public async Task FlowControl_ReaderDoesNotRead_SenderBlocksWithinTheWindow()
    {
        const int Size = 8 * 1024 * 1024;
        await using Session session = Connect();
        await using IMuxedStream sender = await session.Dialer.OpenStreamAsync(Token);
        byte[] payload = RandomNumberGenerator.GetBytes(Size);

        Task write = Task.Run(
            async () =>
            {
                await sender.Output.WriteAsync(payload, Token);
                await sender.Output.CompleteAsync();
            },
            Token);
        await using IMuxedStream receiver = await session.Listener.AcceptStreamAsync(Token).AsTask().WaitAsync(Timeout, Token);
        ReadResult first = await receiver.Input.ReadAtLeastAsync((int)InitialWindow, Token).AsTask().WaitAsync(Timeout, Token);

        // Nothing beyond the window (plus framing) crosses the wire while the reader holds it all: no unbounded buffering.
        // ReadAtLeastAsync examines the partial buffers it sees on the way, and examined bytes return window to the peer
        // (a reader waiting for a message larger than the window must not stall). When the data arrived in pieces, one
        // update may have returned almost a window before it returned, and auto-tuning may have doubled the window in
        // the same update: at most three windows in all, still far below the 8 MiB sent.
        long bound = (3 * InitialWindow) + (3 * InitialWindow / 16) + 4096;
        await Assert.ThrowsAsync<TimeoutException>(() => session.WaitForDialerBytesAsync(bound + 1).WaitAsync(TimeSpan.FromMilliseconds(300), Token));
        Assert.False(write.IsCompleted, "the sender's flush completed although the reader read nothing");

        // Once the reader consumes, everything arrives intact and the sender's flush completes.
        byte[] head = first.Buffer.ToArray();
        receiver.Input.AdvanceTo(first.Buffer.End);
        byte[] tail = await ReadToEndAsync(receiver.Input).WaitAsync(Timeout, Token);
        Assert.True(head.Concat(tail).SequenceEqual(payload), "the data arrived corrupted");
        await write.WaitAsync(Timeout, Token);
    }

    [Fact]
    public async Task Dispose_OneSide_PeerSeesCloseAndItsStreamsFail()
    {
        Session session = Connect();
        await using IMuxedStream a = await session.Dialer.OpenStreamAsync(Token);
        await a.Output.WriteAsync(new byte[] { 7 }, Token);
        await using IMuxedStream b = await session.Listener.AcceptStreamAsync(Token).AsTask().WaitAsync(Timeout, Token);
        Assert.Equal(7, await ReadByteAsync(b));

        await session.Dialer.DisposeAsync().AsTask().WaitAsync(Timeout, Token);

        await WaitAsync(session.Listener.Closed);
        await Assert.ThrowsAnyAsync<Libp2pException>(async () => await session.Listener.OpenStreamAsync(Token));
        await Assert.ThrowsAnyAsync<Libp2pException>(async () => await session.Listener.AcceptStreamAsync(Token)).WaitAsync(Timeout, Token);
        await Assert.ThrowsAsync<StreamResetException>(async () => await b.Input.ReadAsync(Token)).WaitAsync(Timeout, Token);
        await Assert.ThrowsAnyAsync<Libp2pException>(async () => await session.Dialer.OpenStreamAsync(Token));
        await session.DisposeAsync();
    }

    [Fact]
    public async Task Abort_WithPendingAccept_AcceptThrows()
    {
        await using Session session = Connect();
        Task<IMuxedStream> accept = session.Listener.AcceptStreamAsync(Token).AsTask();

        session.Listener.Abort(new InvalidOperationException("test abort"));

        await Assert.ThrowsAnyAsync<Libp2pException>(() => accept).WaitAsync(Timeout, Token);
        await WaitAsync(session.Dialer.Closed);
    }

    protected Session Connect(PipeOptions? pipeOptions = null)
    {
        var pair = new DuplexPipePair(pipeOptions);
        IStreamMuxer muxer = CreateMuxer();
        return new Session(muxer.Start(pair.A, isInitiator: true), muxer.Start(pair.B, isInitiator: false), pair);
    }

    protected static async Task WaitAsync(CancellationToken closed)
    {
        var fired = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using CancellationTokenRegistration registration = closed.Register(() => fired.TrySetResult());
        await fired.Task.WaitAsync(Timeout, Token);
    }

    protected static async Task<int> ReadByteAsync(IMuxedStream stream)
    {
        ReadResult result = await stream.Input.ReadAsync(Token).AsTask().WaitAsync(Timeout, Token);
        Assert.False(result.Buffer.IsEmpty, "the stream ended instead of delivering a byte");
        byte value = result.Buffer.FirstSpan[0];
        stream.Input.AdvanceTo(result.Buffer.GetPosition(1));
        return value;
    }

    protected static async Task<byte[]> ReadToEndAsync(PipeReader reader)
    {
        var output = new ArrayBufferWriter<byte>();
        while (true)
        {
            ReadResult result = await reader.ReadAsync(Token);
            foreach (ReadOnlyMemory<byte> segment in result.Buffer)
            {
                output.Write(segment.Span);
            }

            reader.AdvanceTo(result.Buffer.End);
            if (result.IsCompleted)
            {
                return output.WrittenSpan.ToArray();
            }
        }
    }

    /// <summary>Accepts <paramref name="count"/> streams and echoes each until its writer half-closes.</summary>
    protected static async Task ServeEchoAsync(IMuxedConnection connection, int count)
    {
        var handlers = new List<Task>(count);
        for (int i = 0; i < count; i++)
        {
            IMuxedStream stream = await connection.AcceptStreamAsync(Token);
            handlers.Add(Task.Run(
                async () =>
                {
                    await using (stream)
                    {
                        try
                        {
                            await stream.Input.CopyToAsync(stream.Output, Token);
                            await stream.Output.CompleteAsync();
                        }
                        catch (StreamResetException)
                        {
                            // The client gave up on this stream; the others go on.
                        }
                    }
                },
                Token));
        }

        await Task.WhenAll(handlers);
    }

    protected static async Task<byte[]> EchoThroughAsync(IMuxedConnection connection, byte[] payload)
    {
        await using IMuxedStream stream = await connection.OpenStreamAsync(Token);
        Task<byte[]> read = ReadToEndAsync(stream.Input);
        await stream.Output.WriteAsync(payload, Token);
        await stream.Output.CompleteAsync();
        return await read;
    }

    private static async Task<long> VerifyRandomStreamAsync(PipeReader reader, int seed)
    {
        var random = new Random(seed);
        byte[] chunk = new byte[100_000];
        int chunkUsed = chunk.Length;
        long total = 0;
        while (true)
        {
            ReadResult result = await reader.ReadAsync(Token);
            foreach (ReadOnlyMemory<byte> segment in result.Buffer)
            {
                ReadOnlySpan<byte> span = segment.Span;
                while (!span.IsEmpty)
                {
                    if (chunkUsed == chunk.Length)
                    {
                        random.NextBytes(chunk);
                        chunkUsed = 0;
                    }

                    int length = Math.Min(span.Length, chunk.Length - chunkUsed);
                    Assert.True(span[..length].SequenceEqual(chunk.AsSpan(chunkUsed, length)), $"corrupted data near offset {total}");
                    span = span[length..];
                    chunkUsed += length;
                    total += length;
                }
            }

            reader.AdvanceTo(result.Buffer.End);
            if (result.IsCompleted)
            {
                return total;
            }
        }
    }

    protected sealed class Session(IMuxedConnection dialer, IMuxedConnection listener, DuplexPipePair pipes) : IAsyncDisposable
    {
        public IMuxedConnection Dialer { get; } = dialer;

        public IMuxedConnection Listener { get; } = listener;

        public DuplexPipePair Pipes { get; } = pipes;

        public Task WaitForDialerBytesAsync(long count) => Pipes.AOutput.WaitForBytesAsync(count);

        public async ValueTask DisposeAsync()
        {
            await Dialer.DisposeAsync();
            await Listener.DisposeAsync();
        }
    }
}
