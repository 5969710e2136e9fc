using System.Buffers;
using System.Diagnostics;
using System.IO.Pipelines;

namespace Helia.Libp2p.Muxing.Yamux;

/// <summary>
/// One yamux stream: a Pipe per direction. The read loop copies received data into the inbound pipe (never more than
/// the window we granted); the reader's AdvanceTo returns the window to the peer. A send loop drains the outbound pipe
/// into data frames as the peer's window allows, so a slow peer pushes back on FlushAsync.
/// </summary>
internal sealed class YamuxStream : IMuxedStream
{
    // Inbound: never pauses, the receive window bounds it. Outbound: FlushAsync waits while 256 KiB are unsent.
    // Segments of 16 KiB rather than the default 4 KiB: a full window then spans few pooled arrays, so the shared
    // array pool keeps up with the streams in flight instead of allocating afresh.
    private const int SegmentSize = 16 * 1024;
    private static readonly PipeOptions s_inboundOptions = new(
        pauseWriterThreshold: 0,
        resumeWriterThreshold: 0,
        minimumSegmentSize: SegmentSize,
        useSynchronizationContext: false);
    private static readonly PipeOptions s_outboundOptions = new(
        pauseWriterThreshold: YamuxOptions.SpecInitialWindow,
        resumeWriterThreshold: YamuxOptions.SpecInitialWindow / 2,
        minimumSegmentSize: SegmentSize,
        useSynchronizationContext: false);

    private readonly YamuxConnection _connection;
    private readonly Pipe _inbound = new(s_inboundOptions);
    private readonly Pipe _outbound = new(s_outboundOptions);
    private readonly YamuxStreamReader _reader;
    private readonly Lock _sync = new();
    private readonly Task _sendLoop;
    private long _sendWindow = YamuxOptions.SpecInitialWindow;
    private TaskCompletionSource? _sendWindowWaiter;
    private long _receiveWindow;
    private long _receiveCredit;
    private long _unacknowledged;
    private long _epochStart;
    private bool _holdsAckSlot;
    private bool _ackPending;
    private bool _localFin;
    private bool _remoteFin;
    private bool _readStopped;
    private volatile StreamResetException? _resetError;

    public YamuxStream(YamuxConnection connection, uint id, bool outbound)
    {
        _connection = connection;
        StreamId = id;
        _reader = new YamuxStreamReader(this, _inbound.Reader);
        _receiveWindow = connection.Options.InitialWindow;

        // Outbound: the SYN announces the whole initial window. Inbound: the ACK does, until then the peer assumes 256 KiB.
        _receiveCredit = outbound ? _receiveWindow : YamuxOptions.SpecInitialWindow;
        _holdsAckSlot = outbound;
        _ackPending = !outbound;
        _epochStart = Stopwatch.GetTimestamp();
        _sendLoop = RunSendLoopAsync();
    }

    public uint StreamId { get; }

    public long Id => StreamId;

    public PipeReader Input => _reader;

    public PipeWriter Output => _outbound.Writer;

    /// <summary>The stream's send loop, awaited by the session when it is disposed.</summary>
    internal Task SendLoop => _sendLoop;

    /// <summary>The window this stream currently grants the peer (grows up to <see cref="YamuxOptions.MaxReceiveWindow"/>).</summary>
    internal long ReceiveWindow
    {
        get
        {
            lock (_sync)
            {
                return _receiveWindow;
            }
        }
    }

    /// <summary>How far this stream's receive window has grown beyond the initial window (reserved from the session).</summary>
    internal long WindowGrowth
    {
        get
        {
            lock (_sync)
            {
                return _receiveWindow - _connection.Options.InitialWindow;
            }
        }
    }

    /// <summary>Bytes received and not yet returned to the peer as window: the most this stream holds for its reader.</summary>
    internal long BufferedBytes
    {
        get
        {
            lock (_sync)
            {
                return _receiveWindow - _receiveCredit;
            }
        }
    }

    public void Reset(StreamErrorCode code = StreamErrorCode.Cancelled)
    {
        lock (_sync)
        {
            if (_localFin && _remoteFin)
            {
                return;                              // already closed both ways: nothing to reset
            }
        }

        if (Fail(new StreamResetException(code, $"Yamux stream {StreamId} was reset locally.")))
        {
            _connection.EnqueueControl(new YamuxHeader(YamuxFrameType.WindowUpdate, YamuxFlags.Rst, StreamId, 0));
            _connection.RemoveStream(this);
        }
    }

    /// <summary>
    /// Half-closes what is still open: the send loop flushes what was written and sends the FIN as the peer's window
    /// allows, without holding up the caller (the session owns the loop and awaits it when it closes).
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        await _outbound.Writer.CompleteAsync();
        await _reader.CompleteAsync();
    }

    internal void ThrowIfReset()
    {
        if (_resetError is { } error)
        {
            throw error;
        }
    }

    /// <summary>Sends the ACK (with the extra initial window) when the application accepts the stream.</summary>
    internal void SendAck()
    {
        uint extra = _connection.ExtraInitialWindow;
        lock (_sync)
        {
            if (!_ackPending || _resetError is not null)
            {
                return;
            }

            _ackPending = false;
            _receiveCredit += extra;
        }

        _connection.EnqueueControl(new YamuxHeader(YamuxFrameType.WindowUpdate, YamuxFlags.Ack, StreamId, extra));
    }

    internal void OnAck()
    {
        bool release;
        lock (_sync)
        {
            release = _holdsAckSlot;
            _holdsAckSlot = false;
        }

        if (release)
        {
            _connection.ReleaseAckBacklog();
        }
    }

    internal void OnWindowUpdate(uint delta)
    {
        TaskCompletionSource? waiter;
        lock (_sync)
        {
            long window = _sendWindow + delta;
            if (window > uint.MaxValue)
            {
                throw new YamuxException(YamuxError.ProtocolError, $"A window update of {delta} overflows the send window of stream {StreamId}.");
            }

            _sendWindow = window;
            waiter = _sendWindowWaiter;
            _sendWindowWaiter = null;
        }

        waiter?.TrySetResult();
    }

    /// <summary>Checks a data frame's length against the window we granted, before any of it is buffered.</summary>
    internal void OnDataHeader(uint length)
    {
        lock (_sync)
        {
            if (_remoteFin)
            {
                throw new YamuxException(YamuxError.ProtocolError, $"The peer sent data on stream {StreamId} after closing it.");
            }

            if (length > _receiveCredit)
            {
                throw new YamuxException(YamuxError.ProtocolError, $"The peer sent {length} bytes on stream {StreamId}, beyond its window of {_receiveCredit}.");
            }

            _receiveCredit -= length;
        }
    }

    /// <summary>Copies received data into the inbound pipe (called by the read loop; the window was checked).</summary>
    internal void Deliver(ReadOnlySequence<byte> data)
    {
        bool discarded;
        lock (_sync)
        {
            discarded = _readStopped || _resetError is not null;
            if (!discarded)
            {
                PipeWriter writer = _inbound.Writer;
                foreach (ReadOnlyMemory<byte> segment in data)
                {
                    writer.Write(segment.Span);
                }

                // The inbound pipe never pauses, so this flush completes at once; it only wakes the reader.
                ValueTask<FlushResult> flush = writer.FlushAsync(CancellationToken.None);
                Debug.Assert(flush.IsCompleted, "The inbound pipe has no pause threshold.");
            }
        }

        if (discarded && _resetError is null)
        {
            OnConsumed(data.Length);                 // the reader stopped: hand the window straight back
        }
    }

    /// <summary>The reader consumed <paramref name="bytes"/>: return them to the peer as window, growing it when the reader keeps up.</summary>
    internal void OnConsumed(long bytes)
    {
        uint delta;
        lock (_sync)
        {
            if (_resetError is not null || _remoteFin)
            {
                return;                              // no more data is coming: no window needed
            }

            _unacknowledged += bytes;
            if (_unacknowledged < _receiveWindow / 2)
            {
                return;
            }

            // Auto-tuning (as go-yamux): half a window consumed within 4 round trips means the window limits throughput.
            long now = Stopwatch.GetTimestamp();
            long roundTrip = _connection.RoundTripTicks;
            long grow = 0;
            if (roundTrip > 0 && now - _epochStart < roundTrip * 4 && _receiveWindow < _connection.Options.MaxReceiveWindow)
            {
                long grown = Math.Min(_receiveWindow * 2, _connection.Options.MaxReceiveWindow);
                if (_connection.TryReserveWindowGrowth(grown - _receiveWindow))
                {
                    grow = grown - _receiveWindow;
                    _receiveWindow = grown;
                }
            }

            _epochStart = now;
            delta = (uint)(_unacknowledged + grow);
            _unacknowledged = 0;
            _receiveCredit += delta;
        }

        _connection.EnqueueControl(new YamuxHeader(YamuxFrameType.WindowUpdate, YamuxFlags.None, StreamId, delta));
    }

    /// <summary>The application completed Input: drop what is buffered and give the peer its window back.</summary>
    internal void OnReadStopped()
    {
        uint delta;
        lock (_sync)
        {
            if (_readStopped)
            {
                return;
            }

            _readStopped = true;
            if (_resetError is not null || _remoteFin)
            {
                return;
            }

            delta = (uint)(_receiveWindow - _receiveCredit);
            _unacknowledged = 0;
            _receiveCredit = _receiveWindow;
        }

        if (delta > 0)
        {
            _connection.EnqueueControl(new YamuxHeader(YamuxFrameType.WindowUpdate, YamuxFlags.None, StreamId, delta));
        }
    }

    internal void OnRemoteFin()
    {
        bool closed;
        lock (_sync)
        {
            if (_remoteFin || _resetError is not null)
            {
                return;
            }

            _remoteFin = true;
            _inbound.Writer.Complete();
            closed = _localFin;
        }

        if (closed)
        {
            _connection.RemoveStream(this);
        }
    }

    internal void OnRemoteReset()
    {
        Fail(new StreamResetException(StreamErrorCode.Cancelled, $"Yamux stream {StreamId} was reset by the peer."));
        _connection.RemoveStream(this);
    }

    internal void OnSessionClosed(StreamResetException error) => Fail(error);

    /// <summary>Fails both directions with <paramref name="error"/>; false if the stream had already failed.</summary>
    private bool Fail(StreamResetException error)
    {
        TaskCompletionSource? waiter;
        bool releaseAckSlot;
        lock (_sync)
        {
            if (_resetError is not null)
            {
                return false;
            }

            _resetError = error;
            if (!_remoteFin)
            {
                _inbound.Writer.Complete(error);
            }

            waiter = _sendWindowWaiter;
            _sendWindowWaiter = null;
            releaseAckSlot = _holdsAckSlot;
            _holdsAckSlot = false;
        }

        waiter?.TrySetException(error);
        _outbound.Reader.CancelPendingRead();        // wakes the send loop, which fails the writer's next flush
        if (releaseAckSlot)
        {
            _connection.ReleaseAckBacklog();
        }

        return true;
    }

    private async Task RunSendLoopAsync()
    {
        PipeReader reader = _outbound.Reader;
        Exception? error = null;
        try
        {
            while (true)
            {
                ReadResult result = await reader.ReadAsync(CancellationToken.None);
                ThrowIfReset();
                ReadOnlySequence<byte> buffer = result.Buffer;
                if (!buffer.IsEmpty)
                {
                    int window = await WaitForSendWindowAsync();
                    int sent = await _connection.WriteDataAsync(this, buffer, window);
                    lock (_sync)
                    {
                        _sendWindow -= sent;
                    }

                    reader.AdvanceTo(buffer.GetPosition(sent));
                    continue;
                }

                reader.AdvanceTo(buffer.End);
                if (result.IsCompleted)
                {
                    SendFin();
                    return;
                }
            }
        }
        catch (StreamResetException ex)
        {
            error = ex;
        }
        catch (Exception ex) when (_connection.Closed.IsCancellationRequested)
        {
            error = _resetError ?? new StreamResetException(StreamErrorCode.ConnectionClosed, $"The yamux session closed: {ex.Message}");
        }
        catch (Exception)
        {
            // The application completed Output with an error: abort the stream both ways.
            Reset(StreamErrorCode.Cancelled);
            error = _resetError;
        }
        finally
        {
            await reader.CompleteAsync(error);
        }
    }

    private ValueTask<int> WaitForSendWindowAsync()
    {
        TaskCompletionSource waiter;
        lock (_sync)
        {
            ThrowIfReset();
            if (_sendWindow > 0)
            {
                return new ValueTask<int>((int)Math.Min(_sendWindow, int.MaxValue));
            }

            waiter = _sendWindowWaiter ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        return WaitAsync(waiter);

        async ValueTask<int> WaitAsync(TaskCompletionSource waiter)
        {
            await waiter.Task;
            return await WaitForSendWindowAsync();
        }
    }

    private void SendFin()
    {
        bool closed;
        lock (_sync)
        {
            if (_resetError is not null)
            {
                return;
            }

            _localFin = true;
            closed = _remoteFin;
        }

        _connection.EnqueueControl(new YamuxHeader(YamuxFrameType.WindowUpdate, YamuxFlags.Fin, StreamId, 0));
        if (closed)
        {
            _connection.RemoveStream(this);
        }
    }
}
