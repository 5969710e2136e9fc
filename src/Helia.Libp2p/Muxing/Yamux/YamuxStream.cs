using System.Buffers;
using System.Diagnostics;
using System.IO.Pipelines;

namespace Helia.Libp2p.Muxing.Yamux;

/// <summary>
/// One yamux stream: a Pipe for what arrives, a loop-less writer for what leaves. The read loop copies received data into the inbound pipe (never more than
/// the window we granted); the reader's AdvanceTo returns the window to the peer. The writer's FlushAsync writes data
/// frames straight into the session's output as the peer's window allows (<see cref="YamuxStreamWriter"/>), so a slow
/// peer pushes back on FlushAsync; no loop and no second copy between the application and the channel.
/// </summary>
internal sealed class YamuxStream : IMuxedStream
{
    // Inbound: never pauses, the receive window bounds it.
    // Segments of 16 KiB rather than the default 4 KiB, and of 64 KiB for data that large (bulk transfers): a full window
    // then spans few pooled arrays, so the shared array pool keeps up with the streams in flight instead of allocating
    // afresh, while a stream of small messages holds 16 KiB at most.
    private const int SegmentSize = 16 * 1024;
    private const int LargeSegmentSize = 64 * 1024;
    private static readonly PipeOptions s_inboundOptions = new(
        pauseWriterThreshold: 0,
        resumeWriterThreshold: 0,
        minimumSegmentSize: SegmentSize,
        useSynchronizationContext: false);

    private readonly YamuxConnection _connection;
    private readonly Pipe _inbound = new(s_inboundOptions);
    private readonly YamuxStreamReader _reader;
    private readonly YamuxStreamWriter _writer;
    private readonly Lock _sync = new();
    private Task _drain = Task.CompletedTask;          // the drain of a writer completed with data left
    private int _inboundSpace;                         // bytes left in the inbound pipe's current segment (Deliver only)
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
    private bool _sending;                  // a flush is writing this stream's data
    private bool _flushCanceled;            // CancelPendingFlush: the current or next flush returns cancelled
    private bool _writerCompleted;          // the application completed Output while a flush was under way
    private volatile StreamResetException? _resetError;

    public YamuxStream(YamuxConnection connection, uint id, bool outbound)
    {
        _connection = connection;
        StreamId = id;
        _reader = new YamuxStreamReader(this, _inbound.Reader);
        _writer = new YamuxStreamWriter(this, connection);
        _receiveWindow = connection.Options.InitialWindow;

        // Outbound: the SYN announces the whole initial window. Inbound: the ACK does, until then the peer assumes 256 KiB.
        _receiveCredit = outbound ? _receiveWindow : YamuxOptions.SpecInitialWindow;
        _holdsAckSlot = outbound;
        _ackPending = !outbound;
        _epochStart = Stopwatch.GetTimestamp();
    }

    public uint StreamId { get; }

    public long Id => StreamId;

    public PipeReader Input => _reader;

    public PipeWriter Output => _writer;

    /// <summary>The task that sends what a completed writer left buffered, then the FIN; awaited by the session when it is disposed.</summary>
    internal Task PendingSend => Volatile.Read(ref _drain);

    /// <summary>Why the stream failed, or null.</summary>
    internal StreamResetException? ResetError => _resetError;

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
    /// Half-closes what is still open: what was written and not flushed goes out, then the FIN, as the peer's window
    /// allows, without holding up the caller (a task the session awaits when it closes sends it).
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        await _writer.CompleteAsync();
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
                long left = data.Length;
                foreach (ReadOnlyMemory<byte> segment in data)
                {
                    ReadOnlySpan<byte> source = segment.Span;
                    while (!source.IsEmpty)
                    {
                        // Fill the current segment first: asking for more than it has left would leave the rest unused.
                        // Once it is full, the next one is sized to the data (16 to 64 KiB).
                        int hint = _inboundSpace > 0 ? 1 : (int)Math.Min(left, LargeSegmentSize);
                        Span<byte> target = writer.GetSpan(hint);
                        int length = Math.Min(source.Length, target.Length);
                        source[..length].CopyTo(target);
                        writer.Advance(length);
                        _inboundSpace = target.Length - length;
                        source = source[length..];
                        left -= length;
                    }
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

        waiter?.TrySetException(error);              // wakes a flush waiting for window: it fails with the reset
        if (releaseAckSlot)
        {
            _connection.ReleaseAckBacklog();
        }

        return true;
    }

    /// <summary>The window the peer grants now, 0 when spent; throws once the stream failed.</summary>
    internal int AvailableSendWindow()
    {
        lock (_sync)
        {
            ThrowIfReset();
            return (int)Math.Min(_sendWindow, int.MaxValue);
        }
    }

    /// <summary>Waits until the peer grants window (or CancelPendingFlush wakes it); fails with the reset if the stream fails.</summary>
    internal Task WaitForSendWindowAsync(CancellationToken cancellationToken)
    {
        TaskCompletionSource waiter;
        lock (_sync)
        {
            ThrowIfReset();
            if (_sendWindow > 0 || _flushCanceled)
            {
                return Task.CompletedTask;
            }

            waiter = _sendWindowWaiter ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        return cancellationToken.CanBeCanceled ? waiter.Task.WaitAsync(cancellationToken) : waiter.Task;
    }

    /// <summary>The writer's CancelPendingFlush: a flush waiting for window returns cancelled (and the next one, if none waits).</summary>
    internal void CancelPendingFlush()
    {
        TaskCompletionSource? waiter;
        lock (_sync)
        {
            _flushCanceled = true;
            waiter = _sendWindowWaiter;
            _sendWindowWaiter = null;
        }

        waiter?.TrySetResult();
    }

    /// <summary>True once after <see cref="CancelPendingFlush"/>.</summary>
    internal bool TakeFlushCanceled()
    {
        lock (_sync)
        {
            bool canceled = _flushCanceled;
            _flushCanceled = false;
            return canceled;
        }
    }

    /// <summary>The session wrote <paramref name="bytes"/> of this stream's data (under its write lock).</summary>
    internal void OnDataSent(int bytes)
    {
        lock (_sync)
        {
            _sendWindow -= bytes;
        }
    }

    internal void BeginSend()
    {
        lock (_sync)
        {
            ThrowIfReset();
            _sending = true;
        }
    }

    /// <summary>A flush ended; if the application completed Output meanwhile, finish the stream's sending now.</summary>
    internal void EndSend()
    {
        lock (_sync)
        {
            _sending = false;
            if (!_writerCompleted)
            {
                return;
            }

            _writerCompleted = false;
        }

        FinishSending();
    }

    /// <summary>The application completed Output: the FIN goes out after what is buffered (unless a flush is still under way).</summary>
    internal void OnWriterCompleted()
    {
        lock (_sync)
        {
            if (_sending)
            {
                _writerCompleted = true;             // the flush under way finishes it
                return;
            }
        }

        FinishSending();
    }

    private void FinishSending()
    {
        if (_writer.Buffered > 0 && _resetError is null)
        {
            Volatile.Write(ref _drain, _writer.DrainThenFinAsync());
            return;
        }

        _writer.ReleaseBuffer();
        SendFin();
    }

    internal void SendFin()
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
