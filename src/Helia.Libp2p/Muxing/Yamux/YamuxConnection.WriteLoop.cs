using System.Buffers;
using System.IO.Pipelines;
using System.Runtime.CompilerServices;
using System.Threading.Channels;

namespace Helia.Libp2p.Muxing.Yamux;

// The write side: one funnel (the write lock) in front of the channel's PipeWriter. Data is written by each stream's
// writer, on the application's own FlushAsync, under the lock; control frames (SYN/ACK window updates, FIN, RST, pings, GoAway) are queued without
// waiting, so the read loop never blocks on a peer that does not read, and are written first by whoever holds the lock.
internal sealed partial class YamuxConnection
{
    private const int MaxPendingPongs = 16;

    /// <summary>
    /// The most data one stream writes in one hold of the write lock: a stream with a large window (up to 16 MiB) then
    /// lets the other streams, window updates and pongs in between its chunks instead of holding them up for all of it.
    /// </summary>
    internal const int MaxDataPerLockHold = 256 * 1024;

    private readonly Channel<YamuxHeader> _control;
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly CancellationTokenSource _writeStop = new();
    private int _pendingControl;
    private int _pendingPongs;
    private bool _outputCompleted;

    /// <summary>Queues a control frame; never waits. A peer that lets too many pile up loses the session.</summary>
    internal void EnqueueControl(YamuxHeader header)
    {
        if (Interlocked.Increment(ref _pendingControl) > _options.MaxPendingControlFrames)
        {
            Interlocked.Decrement(ref _pendingControl);
            Abort(new YamuxException(YamuxError.InternalError, $"More than {_options.MaxPendingControlFrames} control frames are waiting: the peer does not read."));
            return;
        }

        if (!_control.Writer.TryWrite(header))
        {
            Interlocked.Decrement(ref _pendingControl);
        }
    }

    /// <summary>
    /// Writes up to <paramref name="window"/> bytes (and at most <see cref="MaxDataPerLockHold"/>) of
    /// <paramref name="data"/> as data frames of at most <see cref="YamuxOptions.MaxFrameSize"/> bytes, charges them to
    /// the stream's window, then flushes, all under the write lock; the caller loops for the rest. Returns the bytes written.
    /// <paramref name="cancellationToken"/> bounds only the wait for the lock. The flush is the channel's back-pressure
    /// and ends only with the session: frames already in the channel's buffer cannot be taken back, so cancelling there
    /// would have to abort the whole session. A peer that stops reading at the TCP level thus holds the writer (and
    /// every stream's writes behind the lock) until the session ends, at the latest when keep-alive gives up on it.
    /// </summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    internal async ValueTask<int> WriteDataAsync(YamuxStream stream, ReadOnlySequence<byte> data, int window, CancellationToken cancellationToken)
    {
        if (!_writeLock.Wait(0, CancellationToken.None))
        {
            await WaitForWriteLockAsync(cancellationToken);
        }

        try
        {
            if (_outputCompleted)
            {
                throw CreateClosedException();
            }

            // Control frames first (a SYN before the stream's data); then, if one of them was this stream's RST, no data,
            // but the frames taken from the queue still go out (the write loop found the queue empty and will not).
            bool wroteControl = WriteControlFramesLocked();
            if (stream.ResetError is { } reset)
            {
                if (wroteControl)
                {
                    await _output.FlushAsync(_closed.Token);
                }

                throw reset;
            }

            int total = (int)Math.Min(Math.Min(data.Length, window), MaxDataPerLockHold);
            int sent = 0;
            ReadOnlySequence<byte> rest = data;
            while (sent < total)
            {
                int length = Math.Min(total - sent, _options.MaxFrameSize);
                new YamuxHeader(YamuxFrameType.Data, YamuxFlags.None, stream.StreamId, (uint)length).WriteTo(_output);
                ReadOnlySequence<byte> frame = rest.Slice(0, length);
                foreach (ReadOnlyMemory<byte> segment in frame)
                {
                    _output.Write(segment.Span);
                }

                rest = rest.Slice(frame.End);
                sent += length;
            }

            stream.OnDataSent(sent);
            FlushResult result = await _output.FlushAsync(_closed.Token);
            if (result.IsCompleted)
            {
                Abort(reason: null);
                throw CreateClosedException();
            }

            return sent;
        }
        finally
        {
            _writeLock.Release();
        }
    }

    private async ValueTask WaitForWriteLockAsync(CancellationToken cancellationToken)
    {
        if (!cancellationToken.CanBeCanceled)
        {
            await _writeLock.WaitAsync(_closed.Token);
            return;
        }

        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _closed.Token);
        await _writeLock.WaitAsync(linked.Token);
    }

    private async Task RunWriteLoopAsync()
    {
        CancellationToken token = _writeStop.Token;
        try
        {
            while (await _control.Reader.WaitToReadAsync(token))
            {
                await _writeLock.WaitAsync(token);
                try
                {
                    if (!_outputCompleted && WriteControlFramesLocked())
                    {
                        FlushResult result = await _output.FlushAsync(token);
                        if (result.IsCompleted)
                        {
                            Abort(reason: null);
                            break;
                        }
                    }
                }
                finally
                {
                    _writeLock.Release();
                }
            }
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
        }
        catch (Exception ex)
        {
            Abort(ex);
        }

        // The session is over (or the channel is gone): nobody writes any more.
        await _writeLock.WaitAsync(CancellationToken.None);
        try
        {
            _outputCompleted = true;
            await _output.CompleteAsync();
        }
        finally
        {
            _writeLock.Release();
        }
    }

    private bool WriteControlFramesLocked()
    {
        bool wrote = false;
        while (_control.Reader.TryRead(out YamuxHeader header))
        {
            Interlocked.Decrement(ref _pendingControl);
            if (header.Type == YamuxFrameType.Ping && (header.Flags & YamuxFlags.Ack) != 0)
            {
                Interlocked.Decrement(ref _pendingPongs);
            }

            if (!_outputCompleted)
            {
                header.WriteTo(_output);
                wrote = true;
            }
        }

        return wrote;
    }
}
