using System.Buffers;
using System.IO.Pipelines;
using System.Runtime.InteropServices;
using Helia.Libp2p.Muxing.Yamux;
using Helia.Libp2p.Tests.Host;

namespace Helia.Libp2p.Tests.Muxing.Yamux;

/// <summary>Yamux on the wire: one side is our session, the other writes and reads raw frames.</summary>
public class YamuxConnectionTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public static TheoryData<string> BadInputs => ["unknown type", "bad version", "wrong-side stream id", "data beyond window", "window update overflow", "oversized frame on unknown stream", "duplicate stream", "data after fin"];

    [Theory]
    [MemberData(nameof(BadInputs))]
    public async Task BadInput_ClosesOnlyThatSessionWithProtocolError(string name)
    {
        // A healthy session next to the bad one, with a stream open across the failure.
        var muxer = new YamuxMuxer();
        var goodPipes = new DuplexPipePair();
        await using IMuxedConnection goodDialer = muxer.Start(goodPipes.A, isInitiator: true);
        await using IMuxedConnection goodListener = muxer.Start(goodPipes.B, isInitiator: false);
        await using IMuxedStream goodStream = await goodDialer.OpenStreamAsync(Token);

        var pipes = new DuplexPipePair();
        var logger = new ListLogger<YamuxMuxer>();
        var session = (YamuxConnection)new YamuxMuxer(logger: logger).Start(pipes.B, isInitiator: false);
        await using (session)
        {
            await WriteAsync(pipes.A.Output, BadFrames(name));

            await WaitAsync(session.Closed);
            YamuxException reason = Assert.IsType<YamuxException>(session.CloseReason);
            Assert.Equal(YamuxError.ProtocolError, reason.Error);
            Assert.True(
                logger.Lines.Any(line => line.Contains("Yamux session aborted", StringComparison.Ordinal) && line.Contains(reason.Message, StringComparison.Ordinal)),
                $"{name}: no log line gives the reason \"{reason.Message}\"; logged: {string.Join(" | ", logger.Lines)}");
            YamuxException accept = await Assert.ThrowsAsync<YamuxException>(async () => await session.AcceptStreamAsync(Token));
            Assert.Equal(YamuxError.SessionClosed, accept.Error);
            Assert.Same(reason, accept.InnerException);
            Assert.Equal((uint)YamuxError.ProtocolError, await ReadGoAwayAsync(pipes.A.Input));
        }

        // The other session is untouched.
        await goodStream.Output.WriteAsync("still here"u8.ToArray(), Token);
        await goodStream.Output.CompleteAsync();
        await using IMuxedStream accepted = await goodListener.AcceptStreamAsync(Token).AsTask().WaitAsync(Timeout, Token);
        ReadResult result = await accepted.Input.ReadAtLeastAsync(10, Token).AsTask().WaitAsync(Timeout, Token);
        Assert.Equal("still here"u8.ToArray(), result.Buffer.ToArray());
        accepted.Input.AdvanceTo(result.Buffer.End);
    }

    [Fact]
    public async Task OpenStream_AsInitiator_SendsSynWindowUpdateOnOddId()
    {
        var pipes = new DuplexPipePair();
        await using IMuxedConnection session = new YamuxMuxer().Start(pipes.A, isInitiator: true);

        await using IMuxedStream first = await session.OpenStreamAsync(Token);
        await using IMuxedStream second = await session.OpenStreamAsync(Token);

        Assert.Equal(1, first.Id);
        Assert.Equal(3, second.Id);
        (YamuxHeader syn, _) = await ReadFrameAsync(pipes.B.Input, skipPings: true);
        Assert.Equal(new YamuxHeader(YamuxFrameType.WindowUpdate, YamuxFlags.Syn, 1, 0), syn);
    }

    [Fact]
    public async Task OpenStream_LargerInitialWindow_AnnouncesTheExtraWithSyn()
    {
        var pipes = new DuplexPipePair();
        var options = new YamuxOptions { InitialWindow = 1024 * 1024 };
        await using IMuxedConnection session = new YamuxMuxer(options).Start(pipes.B, isInitiator: false);

        await using IMuxedStream stream = await session.OpenStreamAsync(Token);

        (YamuxHeader syn, _) = await ReadFrameAsync(pipes.A.Input, skipPings: true);
        Assert.Equal(new YamuxHeader(YamuxFrameType.WindowUpdate, YamuxFlags.Syn, 2, (1024 - 256) * 1024), syn);
    }

    [Fact]
    public async Task Write_LongerThanMaxFrameSize_SplitIntoFrames()
    {
        var pipes = new DuplexPipePair();
        await using IMuxedConnection session = new YamuxMuxer(new YamuxOptions { MaxFrameSize = 1000 }).Start(pipes.A, isInitiator: true);
        await using IMuxedStream stream = await session.OpenStreamAsync(Token);
        byte[] payload = [.. Enumerable.Range(0, 2500).Select(i => (byte)i)];

        await stream.Output.WriteAsync(payload, Token);

        await ReadFrameAsync(pipes.B.Input, skipPings: true);          // the SYN
        var received = new List<byte>();
        foreach (int expected in new[] { 1000, 1000, 500 })
        {
            (YamuxHeader header, byte[] data) = await ReadFrameAsync(pipes.B.Input, skipPings: true);
            Assert.Equal(new YamuxHeader(YamuxFrameType.Data, YamuxFlags.None, 1, (uint)expected), header);
            received.AddRange(data);
        }

        Assert.Equal(payload, received);
    }

    [Fact]
    public async Task Write_BeyondThePeersWindow_WaitsForAWindowUpdateThenSendsTheRest()
    {
        var pipes = new DuplexPipePair();
        await using IMuxedConnection session = new YamuxMuxer().Start(pipes.A, isInitiator: true);
        await using IMuxedStream stream = await session.OpenStreamAsync(Token);
        byte[] payload = [.. Enumerable.Range(0, YamuxOptions.SpecInitialWindow + 1000).Select(i => (byte)(i * 7))];

        Task write = stream.Output.WriteAsync(payload, Token).AsTask();

        // Exactly the window (a frame beyond it would make ReadDataAsync overshoot), then exactly each grant.
        byte[] first = await ReadDataAsync(pipes.B.Input, 1, YamuxOptions.SpecInitialWindow);
        Assert.False(write.IsCompleted);
        await WriteAsync(pipes.B.Output, Header(YamuxFrameType.WindowUpdate, YamuxFlags.Ack, 1, 400));
        byte[] second = await ReadDataAsync(pipes.B.Input, 1, 400);
        Assert.False(write.IsCompleted);
        await WriteAsync(pipes.B.Output, Header(YamuxFrameType.WindowUpdate, YamuxFlags.None, 1, 600));
        byte[] rest = await ReadDataAsync(pipes.B.Input, 1, 600);
        await write.WaitAsync(Timeout, Token);
        Assert.Equal(payload, first.Concat(second).Concat(rest).ToArray());
    }

    [Fact]
    public async Task Write_LargeWindow_LetsOtherFramesInBetweenChunksOfAtMostMaxDataPerLockHold()
    {
        var pipes = new DuplexPipePair();
        await using IMuxedConnection session = new YamuxMuxer().Start(pipes.A, isInitiator: true);
        await using IMuxedStream stream = await session.OpenStreamAsync(Token);
        await using IMuxedStream other = await session.OpenStreamAsync(Token);
        const int size = 4 * YamuxConnection.MaxDataPerLockHold;
        await WriteAsync(
            pipes.B.Output,
            Header(YamuxFrameType.WindowUpdate, YamuxFlags.Ack, 1, size - YamuxOptions.SpecInitialWindow),
            Header(YamuxFrameType.Ping, YamuxFlags.Syn, 0, 77));
        await ReadPongAsync(pipes.B.Input, 77);          // the read loop has applied the window update before the ping

        // The write fills the connection's pipe and waits on its flush (the raw peer reads nothing yet), then the
        // other stream is reset: its RST must go out after the first chunk, not after the whole window.
        Task write = stream.Output.WriteAsync(new byte[size], Token).AsTask();
        Assert.False(write.IsCompleted);
        other.Reset();
        int dataBefore = 0;
        while (true)
        {
            (YamuxHeader header, byte[] payload) = await ReadFrameAsync(pipes.B.Input, skipPings: true);
            if (header.StreamId == 3 && (header.Flags & YamuxFlags.Rst) != 0)
            {
                break;
            }

            if (header.Type == YamuxFrameType.Data && header.StreamId == 1)
            {
                dataBefore += payload.Length;
            }
        }

        Assert.Equal(YamuxConnection.MaxDataPerLockHold, dataBefore);
        await ReadDataAsync(pipes.B.Input, 1, size - dataBefore);
        await write.WaitAsync(Timeout, Token);
    }

    [Fact]
    public async Task Flush_CancelPendingFlushWhileTheLastChunkGoesOut_CancelsThatFlushNotTheNext()
    {
        var pipes = new DuplexPipePair();
        await using IMuxedConnection session = new YamuxMuxer().Start(pipes.A, isInitiator: true);
        await using IMuxedStream stream = await session.OpenStreamAsync(Token);
        const int size = 100 * 1024;                    // within the window, beyond the connection pipe's pause threshold

        // The only chunk is in the connection's pipe and the flush waits for the raw peer to read it.
        ValueTask<FlushResult> write = stream.Output.WriteAsync(new byte[size], Token);
        Assert.False(write.IsCompleted);
        stream.Output.CancelPendingFlush();
        await ReadDataAsync(pipes.B.Input, 1, size);
        FlushResult written = await write.AsTask().WaitAsync(Timeout, Token);

        Assert.True(written.IsCanceled, "the cancel landed during this flush");
        FlushResult next = await stream.Output.FlushAsync(Token).AsTask().WaitAsync(Timeout, Token);
        Assert.False(next.IsCanceled, "the cancel must not carry over to an unrelated flush");
        Assert.False((await stream.Output.WriteAsync(new byte[10], Token).AsTask().WaitAsync(Timeout, Token)).IsCanceled);
        await ReadDataAsync(pipes.B.Input, 1, 10);
    }

    [Fact]
    public async Task Complete_WithBufferedDataBeyondTheWindow_ReturnsAtOnceThenDataAndFinFollowTheWindow()
    {
        var pipes = new DuplexPipePair();
        await using IMuxedConnection session = new YamuxMuxer().Start(pipes.A, isInitiator: true);
        IMuxedStream stream = await session.OpenStreamAsync(Token);
        byte[] payload = [.. Enumerable.Range(0, YamuxOptions.SpecInitialWindow + 10).Select(i => (byte)(i * 3))];
        payload.CopyTo(stream.Output.GetSpan(payload.Length));
        stream.Output.Advance(payload.Length);          // buffered, never flushed

        ValueTask complete = stream.Output.CompleteAsync();

        Assert.True(complete.IsCompleted, "completing the output must not wait on the peer's window");
        await complete;
        byte[] first = await ReadDataAsync(pipes.B.Input, 1, YamuxOptions.SpecInitialWindow);
        await WriteAsync(pipes.B.Output, Header(YamuxFrameType.WindowUpdate, YamuxFlags.Ack, 1, 10));
        byte[] rest = await ReadDataAsync(pipes.B.Input, 1, 10);
        Assert.Equal(payload, first.Concat(rest).ToArray());
        (YamuxHeader fin, _) = await ReadFrameAsync(pipes.B.Input, skipPings: true);
        Assert.Equal(new YamuxHeader(YamuxFrameType.WindowUpdate, YamuxFlags.Fin, 1, 0), fin);
        Assert.Throws<InvalidOperationException>(() => stream.Output.GetSpan());
    }

    [Fact]
    public async Task Complete_WithACancelPending_StillSendsEveryBufferedByteBeforeTheFin()
    {
        var pipes = new DuplexPipePair();
        await using IMuxedConnection session = new YamuxMuxer().Start(pipes.A, isInitiator: true);
        IMuxedStream stream = await session.OpenStreamAsync(Token);
        byte[] payload = [.. Enumerable.Range(0, 1000).Select(i => (byte)(i * 7))];
        stream.Output.CancelPendingFlush();             // no flush runs: it would cancel the next one
        payload.CopyTo(stream.Output.GetSpan(payload.Length));
        stream.Output.Advance(payload.Length);

        await stream.Output.CompleteAsync();

        Assert.Equal(payload, await ReadDataAsync(pipes.B.Input, 1, payload.Length));
        (YamuxHeader fin, _) = await ReadFrameAsync(pipes.B.Input, skipPings: true);
        Assert.Equal(new YamuxHeader(YamuxFrameType.WindowUpdate, YamuxFlags.Fin, 1, 0), fin);
    }

    [Fact]
    public async Task Flush_WaitingForWindow_CancelPendingFlushReturnsCancelledAndTheRestGoesOutLater()
    {
        var pipes = new DuplexPipePair();
        await using IMuxedConnection session = new YamuxMuxer().Start(pipes.A, isInitiator: true);
        await using IMuxedStream stream = await session.OpenStreamAsync(Token);
        byte[] payload = [.. Enumerable.Range(0, YamuxOptions.SpecInitialWindow + 5).Select(i => (byte)(i * 5))];

        ValueTask<FlushResult> write = stream.Output.WriteAsync(payload, Token);
        byte[] first = await ReadDataAsync(pipes.B.Input, 1, YamuxOptions.SpecInitialWindow);
        stream.Output.CancelPendingFlush();
        FlushResult cancelled = await write.AsTask().WaitAsync(Timeout, Token);

        Assert.True(cancelled.IsCanceled);
        await WriteAsync(pipes.B.Output, Header(YamuxFrameType.WindowUpdate, YamuxFlags.Ack, 1, 5));
        FlushResult flushed = await stream.Output.FlushAsync(Token).AsTask().WaitAsync(Timeout, Token);
        Assert.False(flushed.IsCanceled);
        byte[] rest = await ReadDataAsync(pipes.B.Input, 1, 5);
        Assert.Equal(payload, first.Concat(rest).ToArray());
    }

    [Fact]
    public async Task Write_WaitingForWindow_PeerResetsTheStream_WriteThrowsStreamReset()
    {
        var pipes = new DuplexPipePair();
        await using IMuxedConnection session = new YamuxMuxer().Start(pipes.A, isInitiator: true);
        await using IMuxedStream stream = await session.OpenStreamAsync(Token);

        Task write = stream.Output.WriteAsync(new byte[YamuxOptions.SpecInitialWindow + 1], Token).AsTask();
        await ReadDataAsync(pipes.B.Input, 1, YamuxOptions.SpecInitialWindow);
        await WriteAsync(pipes.B.Output, Header(YamuxFrameType.WindowUpdate, YamuxFlags.Rst, 1, 0));

        await Assert.ThrowsAsync<StreamResetException>(() => write.WaitAsync(Timeout, Token));
        await Assert.ThrowsAsync<StreamResetException>(async () => await stream.Output.WriteAsync(new byte[1], Token));
    }

    [Fact]
    public async Task InboundStream_DataThenFin_ReadsDataThenEndAndAcksOnAccept()
    {
        var pipes = new DuplexPipePair();
        await using IMuxedConnection session = new YamuxMuxer().Start(pipes.B, isInitiator: false);

        await WriteAsync(pipes.A.Output, Frame(YamuxFrameType.Data, YamuxFlags.Syn, 1, "abc"u8), Frame(YamuxFrameType.Data, YamuxFlags.Fin, 1, "de"u8));
        await using IMuxedStream stream = await session.AcceptStreamAsync(Token).AsTask().WaitAsync(Timeout, Token);

        ReadResult result = await stream.Input.ReadAtLeastAsync(6, Token).AsTask().WaitAsync(Timeout, Token);
        Assert.True(result.IsCompleted);
        Assert.Equal("abcde"u8.ToArray(), result.Buffer.ToArray());
        stream.Input.AdvanceTo(result.Buffer.End);
        (YamuxHeader ack, _) = await ReadFrameAsync(pipes.A.Input, skipPings: true);
        Assert.Equal(new YamuxHeader(YamuxFrameType.WindowUpdate, YamuxFlags.Ack, 1, 0), ack);
    }

    [Fact]
    public async Task Read_HalfTheWindowConsumed_SendsWindowUpdate()
    {
        var pipes = new DuplexPipePair();
        await using IMuxedConnection session = new YamuxMuxer().Start(pipes.B, isInitiator: false);
        byte[] chunk = new byte[64 * 1024];

        await WriteAsync(pipes.A.Output, Frame(YamuxFrameType.WindowUpdate, YamuxFlags.Syn, 1, []));
        await using IMuxedStream stream = await session.AcceptStreamAsync(Token).AsTask().WaitAsync(Timeout, Token);
        await WriteAsync(pipes.A.Output, Frame(YamuxFrameType.Data, YamuxFlags.None, 1, chunk), Frame(YamuxFrameType.Data, YamuxFlags.None, 1, chunk));
        ReadResult result = await stream.Input.ReadAtLeastAsync(2 * chunk.Length, Token).AsTask().WaitAsync(Timeout, Token);
        stream.Input.AdvanceTo(result.Buffer.End);

        (YamuxHeader ack, _) = await ReadFrameAsync(pipes.A.Input, skipPings: true);
        (YamuxHeader update, _) = await ReadFrameAsync(pipes.A.Input, skipPings: true);
        Assert.Equal(YamuxFlags.Ack, ack.Flags);
        Assert.Equal(YamuxFrameType.WindowUpdate, update.Type);
        Assert.Equal(1u, update.StreamId);
        Assert.True(update.Length >= 2 * (uint)chunk.Length, $"the update returned {update.Length} bytes of window");
    }

    [Fact]
    public async Task Ping_FromPeer_AnsweredWithSameValue()
    {
        var pipes = new DuplexPipePair();
        await using IMuxedConnection session = new YamuxMuxer().Start(pipes.B, isInitiator: false);

        await WriteAsync(pipes.A.Output, [0x00, 0x02, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x12, 0x34, 0x56, 0x78]);

        while (true)
        {
            (YamuxHeader header, _) = await ReadFrameAsync(pipes.A.Input, skipPings: false);
            if (header.Type == YamuxFrameType.Ping && header.Flags == YamuxFlags.Ack)
            {
                Assert.Equal(0x12345678u, header.Length);
                Assert.Equal(0u, header.StreamId);
                return;
            }
        }
    }

    [Fact]
    public async Task GoAway_Normal_NoNewStreamsButOpenOnesWork()
    {
        var pipes = new DuplexPipePair();
        await using IMuxedConnection session = new YamuxMuxer().Start(pipes.B, isInitiator: false);
        await WriteAsync(pipes.A.Output, Frame(YamuxFrameType.Data, YamuxFlags.Syn, 1, "hi"u8));
        await using IMuxedStream stream = await session.AcceptStreamAsync(Token).AsTask().WaitAsync(Timeout, Token);

        // A GoAway, then a ping: the session handles frames in order, so its pong shows the GoAway was handled.
        await WriteAsync(
            pipes.A.Output,
            [0x00, 0x03, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00],
            [0x00, 0x02, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x07]);
        var beforePong = new List<YamuxHeader>();
        while (true)
        {
            (YamuxHeader header, _) = await ReadFrameAsync(pipes.A.Input, skipPings: false);
            if (header.Type == YamuxFrameType.Ping && header.Flags == YamuxFlags.Ack && header.Length == 7)
            {
                break;
            }

            beforePong.Add(header);
        }

        await stream.Output.WriteAsync("ok"u8.ToArray(), Token);

        (YamuxHeader data, byte[] payload) = await ReadFrameAsync(pipes.A.Input, skipPings: true);
        Assert.Contains(beforePong, header => header.Type == YamuxFrameType.WindowUpdate && header.Flags == YamuxFlags.Ack && header.StreamId == 1);
        Assert.Equal(new YamuxHeader(YamuxFrameType.Data, YamuxFlags.None, 1, 2), data);
        Assert.Equal("ok"u8.ToArray(), payload);
        YamuxException ex = await Assert.ThrowsAsync<YamuxException>(async () => await session.OpenStreamAsync(Token));
        Assert.Equal(YamuxError.RemoteGoAway, ex.Error);
        Assert.False(session.Closed.IsCancellationRequested);
    }

    [Fact]
    public async Task InboundStreams_BeyondAcceptBacklog_AreReset()
    {
        var pipes = new DuplexPipePair();
        await using IMuxedConnection session = new YamuxMuxer(new YamuxOptions { AcceptBacklog = 2 }).Start(pipes.B, isInitiator: false);

        await WriteAsync(
            pipes.A.Output,
            Frame(YamuxFrameType.WindowUpdate, YamuxFlags.Syn, 1, []),
            Frame(YamuxFrameType.WindowUpdate, YamuxFlags.Syn, 3, []),
            Frame(YamuxFrameType.Data, YamuxFlags.Syn, 5, "dropped"u8));

        (YamuxHeader rst, _) = await ReadFrameAsync(pipes.A.Input, skipPings: true);
        Assert.Equal(new YamuxHeader(YamuxFrameType.WindowUpdate, YamuxFlags.Rst, 5, 0), rst);
        await using IMuxedStream first = await session.AcceptStreamAsync(Token).AsTask().WaitAsync(Timeout, Token);
        Assert.Equal(1, first.Id);
        Assert.False(session.Closed.IsCancellationRequested);
    }

    [Fact]
    public async Task KeepAlive_PeerNeverAnswersPings_SessionClosesWithKeepAliveTimeout()
    {
        var pipes = new DuplexPipePair();
        var options = new YamuxOptions { KeepAliveInterval = TimeSpan.FromMilliseconds(100) };
        var session = (YamuxConnection)new YamuxMuxer(options).Start(pipes.B, isInitiator: false);
        await using (session)
        {
            await WaitAsync(session.Closed);

            YamuxException reason = Assert.IsType<YamuxException>(session.CloseReason);
            Assert.Equal(YamuxError.KeepAliveTimeout, reason.Error);
            Assert.Equal((uint)YamuxError.InternalError, await ReadGoAwayAsync(pipes.A.Input));
        }
    }

    [Fact]
    public async Task WindowGrowth_ManyFastStreams_StaysWithinTheSessionBudget()
    {
        const int Streams = 4;
        const int Size = 8 * 1024 * 1024;
        var options = new YamuxOptions { MaxSessionWindowGrowth = YamuxOptions.SpecInitialWindow };
        var pipes = new DuplexPipePair();
        var muxer = new YamuxMuxer(options);
        await using IMuxedConnection dialer = muxer.Start(pipes.A, isInitiator: true);
        var listener = (YamuxConnection)muxer.Start(pipes.B, isInitiator: false);
        await using (listener)
        {
            long maxGrowth = 0;
            async Task TransferAsync()
            {
                await using IMuxedStream sender = await dialer.OpenStreamAsync(Token);
                Task write = Task.Run(
                    async () =>
                    {
                        await sender.Output.WriteAsync(new byte[Size], Token);
                        await sender.Output.CompleteAsync();
                    },
                    Token);
                await using IMuxedStream receiver = await listener.AcceptStreamAsync(Token);
                long received = 0;
                while (true)
                {
                    ReadResult result = await receiver.Input.ReadAsync(Token);
                    received += result.Buffer.Length;
                    receiver.Input.AdvanceTo(result.Buffer.End);
                    long growth = listener.WindowGrowth;
                    Interlocked.Exchange(ref maxGrowth, Math.Max(Interlocked.Read(ref maxGrowth), growth));
                    Assert.True(((YamuxStream)receiver).ReceiveWindow <= 2 * YamuxOptions.SpecInitialWindow, "a stream grew beyond the session budget");
                    if (result.IsCompleted)
                    {
                        break;
                    }
                }

                Assert.Equal(Size, received);
                await write;
            }

            await Task.WhenAll(Enumerable.Range(0, Streams).Select(_ => Task.Run(TransferAsync, Token))).WaitAsync(Timeout * 3, Token);

            Assert.InRange(maxGrowth, 0, options.MaxSessionWindowGrowth);
        }
    }

    [Theory]
    [InlineData(17 * 1024)]
    [InlineData(33 * 1024)]
    [InlineData(64 * 1024)]
    public async Task Receive_DataBufferedForAReaderThatDoesNotConsume_PinsLittleMoreThanItsOwnSize(int write)
    {
        // The peer chooses the frames' sizes; whatever they are, what a stream buffers must not pin much more pooled
        // memory than its bytes: each segment is filled before the next is taken (a 33 KiB frame asking a fresh segment
        // for itself once pinned a 64 KiB array, nearly twice its size).
        const int Total = 4 * 1024 * 1024;
        var options = new YamuxOptions { InitialWindow = 2 * Total, MaxReceiveWindow = 2 * Total, KeepAliveInterval = TimeSpan.Zero };
        var muxer = new YamuxMuxer(options);
        var pipes = new DuplexPipePair();
        await using IMuxedConnection dialer = muxer.Start(pipes.A, isInitiator: true);
        await using IMuxedConnection listener = muxer.Start(pipes.B, isInitiator: false);
        await using IMuxedStream sender = await dialer.OpenStreamAsync(Token);
        await using IMuxedStream receiver = await listener.AcceptStreamAsync(Token).AsTask().WaitAsync(Timeout, Token);
        byte[] chunk = new byte[write];
        int sent = 0;
        for (; sent + write <= Total; sent += write)
        {
            await sender.Output.WriteAsync(chunk, Token).AsTask().WaitAsync(Timeout, Token);
        }

        ReadResult result = await receiver.Input.ReadAsync(Token).AsTask().WaitAsync(Timeout, Token);
        while (result.Buffer.Length < sent)
        {
            receiver.Input.AdvanceTo(result.Buffer.Start, result.Buffer.End);    // examined, nothing consumed
            result = await receiver.Input.ReadAsync(Token).AsTask().WaitAsync(Timeout, Token);
        }

        var arrays = new HashSet<byte[]>(ReferenceEqualityComparer.Instance);
        long pinned = 0;
        foreach (ReadOnlyMemory<byte> segment in result.Buffer)
        {
            Assert.True(MemoryMarshal.TryGetArray(segment, out ArraySegment<byte> array), "The stream's buffer is not array-backed.");
            if (arrays.Add(array.Array!))
            {
                pinned += array.Array!.Length;
            }
        }

        receiver.Input.AdvanceTo(result.Buffer.End);
        Assert.True(pinned <= sent * 1.25, $"{sent >> 10} KiB buffered in {write >> 10} KiB frames pin {pinned >> 10} KiB of pooled arrays.");
    }

    private static byte[] BadFrames(string name) => name switch
    {
        "unknown type" => [0x00, 0x04, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00],
        "bad version" => [0x01, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00],
        // The peer is the initiator: its streams must be odd.
        "wrong-side stream id" => Frame(YamuxFrameType.WindowUpdate, YamuxFlags.Syn, 2, []),
        "data beyond window" => [.. Frame(YamuxFrameType.WindowUpdate, YamuxFlags.Syn, 1, []), .. Header(YamuxFrameType.Data, YamuxFlags.None, 1, YamuxOptions.SpecInitialWindow + 1)],
        "window update overflow" => [.. Frame(YamuxFrameType.WindowUpdate, YamuxFlags.Syn, 1, []), .. Header(YamuxFrameType.WindowUpdate, YamuxFlags.None, 1, uint.MaxValue)],
        "oversized frame on unknown stream" => Header(YamuxFrameType.Data, YamuxFlags.None, 7, 64 * 1024 * 1024),
        "duplicate stream" => [.. Frame(YamuxFrameType.WindowUpdate, YamuxFlags.Syn, 1, []), .. Frame(YamuxFrameType.WindowUpdate, YamuxFlags.Syn, 1, [])],
        "data after fin" => [.. Frame(YamuxFrameType.Data, YamuxFlags.Syn | YamuxFlags.Fin, 1, "a"u8), .. Frame(YamuxFrameType.Data, YamuxFlags.None, 1, "b"u8)],
        _ => throw new ArgumentOutOfRangeException(nameof(name)),
    };

    private static byte[] Header(YamuxFrameType type, YamuxFlags flags, uint streamId, uint length)
    {
        byte[] bytes = new byte[YamuxHeader.Size];
        new YamuxHeader(type, flags, streamId, length).WriteTo(bytes);
        return bytes;
    }

    private static byte[] Frame(YamuxFrameType type, YamuxFlags flags, uint streamId, ReadOnlySpan<byte> payload) =>
        [.. Header(type, flags, streamId, type == YamuxFrameType.Data ? (uint)payload.Length : 0), .. payload];

    private static async Task WriteAsync(PipeWriter output, params byte[][] frames)
    {
        foreach (byte[] frame in frames)
        {
            output.Write(frame);
        }

        await output.FlushAsync(Token);
    }

    /// <summary>Reads data frames of <paramref name="streamId"/> (skipping its other frames) until <paramref name="count"/> bytes came.</summary>
    private static async Task<byte[]> ReadDataAsync(PipeReader input, uint streamId, int count)
    {
        var data = new List<byte>(count);
        while (data.Count < count)
        {
            (YamuxHeader header, byte[] payload) = await ReadFrameAsync(input, skipPings: true);
            if (header.Type == YamuxFrameType.Data && header.StreamId == streamId)
            {
                data.AddRange(payload);
            }
        }

        Assert.Equal(count, data.Count);
        return [.. data];
    }

    /// <summary>Reads frames (the SYNs, the session's own pings) until the pong for <paramref name="value"/>.</summary>
    private static async Task ReadPongAsync(PipeReader input, uint value)
    {
        while (true)
        {
            (YamuxHeader header, _) = await ReadFrameAsync(input, skipPings: false);
            if (header.Type == YamuxFrameType.Ping && (header.Flags & YamuxFlags.Ack) != 0 && header.Length == value)
            {
                return;
            }
        }
    }

    private static async Task WaitAsync(CancellationToken closed)
    {
        var fired = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using CancellationTokenRegistration registration = closed.Register(() => fired.TrySetResult());
        await fired.Task.WaitAsync(Timeout, Token);
    }

    /// <summary>Reads the next frame the session sent; with <paramref name="skipPings"/>, its RTT pings are skipped.</summary>
    private static async Task<(YamuxHeader Header, byte[] Payload)> ReadFrameAsync(PipeReader input, bool skipPings)
    {
        while (true)
        {
            ReadResult result = await input.ReadAtLeastAsync(YamuxHeader.Size, Token).AsTask().WaitAsync(Timeout, Token);
            ReadOnlySequence<byte> buffer = result.Buffer;
            Assert.True(YamuxHeader.TryRead(ref buffer, out YamuxHeader header), "the session closed before sending a frame");
            input.AdvanceTo(buffer.Start);
            byte[] payload = [];
            if (header.Type == YamuxFrameType.Data && header.Length > 0)
            {
                result = await input.ReadAtLeastAsync((int)header.Length, Token).AsTask().WaitAsync(Timeout, Token);
                payload = result.Buffer.Slice(0, header.Length).ToArray();
                input.AdvanceTo(result.Buffer.GetPosition(header.Length));
            }

            if (!skipPings || header.Type != YamuxFrameType.Ping)
            {
                return (header, payload);
            }
        }
    }

    private static async Task<uint> ReadGoAwayAsync(PipeReader input)
    {
        while (true)
        {
            (YamuxHeader header, _) = await ReadFrameAsync(input, skipPings: true);
            if (header.Type == YamuxFrameType.GoAway)
            {
                return header.Length;
            }
        }
    }
}
