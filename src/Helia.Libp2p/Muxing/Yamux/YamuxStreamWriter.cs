using System.Buffers;
using System.Diagnostics;
using System.IO.Pipelines;
using System.Runtime.CompilerServices;

namespace Helia.Libp2p.Muxing.Yamux;

/// <summary>
/// The stream's Output, without a loop of its own: FlushAsync (and WriteAsync) writes the data frames straight into the
/// session's output under its write lock, as far as the peer's window allows, and waits for more window when it runs out.
/// WriteAsync with nothing buffered frames the caller's memory directly (one copy, into the channel's buffer, where Noise
/// encrypts it in place); GetMemory/Advance go through a local pooled buffer that FlushAsync drains.
/// Completing it sends the FIN after whatever is still buffered; if that has to wait for the peer's window, a drain task
/// owned by the session sends it, so Complete never waits on the peer.
/// The caller's token (and CancelPendingFlush) stops the waits for window and for the session's write lock, never the
/// connection's own flush under that lock: see <see cref="YamuxConnection.WriteDataAsync"/>.
/// </summary>
internal sealed class YamuxStreamWriter(YamuxStream stream, YamuxConnection connection) : PipeWriter
{
    private static readonly PipeOptions s_bufferOptions = new(
        pauseWriterThreshold: 0, resumeWriterThreshold: 0, minimumSegmentSize: 16 * 1024, useSynchronizationContext: false);

    private Pipe? _buffer;                  // only for GetMemory/Advance writers, made on first use
    private long _buffered;                 // bytes advanced into the buffer and not yet sent
    private bool _completed;

    /// <summary>Bytes written through GetMemory/Advance that no flush has sent yet.</summary>
    internal long Buffered => _buffered;

    public override Memory<byte> GetMemory(int sizeHint = 0)
    {
        ThrowIfCompleted();
        return (_buffer ??= new Pipe(s_bufferOptions)).Writer.GetMemory(sizeHint);
    }

    public override Span<byte> GetSpan(int sizeHint = 0) => GetMemory(sizeHint).Span;

    public override void Advance(int bytes)
    {
        ThrowIfCompleted();
        if (_buffer is null)
        {
            ArgumentOutOfRangeException.ThrowIfNotEqual(bytes, 0);
            return;
        }

        _buffer.Writer.Advance(bytes);
        _buffered += bytes;
    }

    public override ValueTask<FlushResult> FlushAsync(CancellationToken cancellationToken = default)
    {
        ThrowIfCompleted();
        if (_buffered == 0)
        {
            stream.ThrowIfReset();
            return new ValueTask<FlushResult>(new FlushResult(stream.TakeFlushCanceled(), isCompleted: false));
        }

        return SendAsync(default, cancellationToken);
    }

    public override ValueTask<FlushResult> WriteAsync(ReadOnlyMemory<byte> source, CancellationToken cancellationToken = default)
    {
        ThrowIfCompleted();
        if (_buffered > 0)
        {
            this.Write(source.Span);                 // keep the order: behind what is buffered
            return SendAsync(default, cancellationToken);
        }

        if (source.IsEmpty)
        {
            return FlushAsync(cancellationToken);
        }

        return SendAsync(source, cancellationToken);
    }

    public override void CancelPendingFlush() => stream.CancelPendingFlush();

    public override void Complete(Exception? exception = null)
    {
        if (_completed)
        {
            return;
        }

        _completed = true;
        if (exception is not null)
        {
            // The application failed its output: abort the stream both ways.
            stream.Reset(StreamErrorCode.Cancelled);
        }

        stream.OnWriterCompleted();
    }

    public override ValueTask CompleteAsync(Exception? exception = null)
    {
        Complete(exception);
        return ValueTask.CompletedTask;
    }

    /// <summary>
    /// Sends what is buffered, then the FIN: the session's task for a writer completed with data left to send. A
    /// CancelPendingFlush cannot stop it: a FIN after part of the data would look to the peer like a clean end.
    /// </summary>
    internal async Task DrainThenFinAsync()
    {
        try
        {
            FlushResult sent;
            do
            {
                sent = await SendAsync(default, CancellationToken.None);
            }
            while (sent.IsCanceled);

            stream.SendFin();
        }
        catch (StreamResetException)
        {
        }
        catch (Exception) when (connection.Closed.IsCancellationRequested)
        {
        }
        catch (Exception)
        {
            // Nobody awaits this but the session's dispose: fail the stream rather than the dispose.
            stream.Reset(StreamErrorCode.Cancelled);
        }
        finally
        {
            ReleaseBuffer();
        }
    }

    /// <summary>
    /// Returns the buffer's pooled memory; called once nothing sends any more. A reset stream's buffer is returned only
    /// when the application completes Output (or disposes the stream), not by the reset itself: the reset comes from the
    /// read loop, which could otherwise pull the buffer from under the application's GetMemory/Advance on its own thread.
    /// </summary>
    internal void ReleaseBuffer()
    {
        if (_buffer is { } buffer)
        {
            buffer.Writer.Complete();
            buffer.Reader.Complete();
        }

        _buffered = 0;
    }

    /// <summary>
    /// Sends <paramref name="direct"/> (the caller's memory, with nothing buffered) or else the buffer, as the window
    /// allows. On CancelPendingFlush it returns a cancelled result and keeps what is unsent in the buffer.
    /// </summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<FlushResult> SendAsync(ReadOnlyMemory<byte> direct, CancellationToken cancellationToken)
    {
        stream.BeginSend();
        ReadOnlySequence<byte> data;
        PipeReader? bufferReader = null;
        if (direct.IsEmpty)
        {
            Pipe buffer = _buffer!;
            ValueTask<FlushResult> commit = buffer.Writer.FlushAsync(CancellationToken.None);
            Debug.Assert(commit.IsCompleted, "The local buffer has no pause threshold.");
            bufferReader = buffer.Reader;
            bufferReader.TryRead(out ReadResult read);
            data = read.Buffer;
        }
        else
        {
            data = new ReadOnlySequence<byte>(direct);
        }

        bool canceled = false;
        try
        {
            while (!data.IsEmpty)
            {
                if (stream.TakeFlushCanceled())
                {
                    canceled = true;
                    break;
                }

                int window = stream.AvailableSendWindow();
                if (window == 0)
                {
                    await stream.WaitForSendWindowAsync(cancellationToken);
                    continue;
                }

                int sent = await connection.WriteDataAsync(stream, data, window, cancellationToken);
                data = data.Slice(sent);
                if (bufferReader is not null)
                {
                    _buffered -= sent;
                }
            }

            // A CancelPendingFlush that landed while the last chunk went out cancels this flush, not the next one.
            canceled = canceled || stream.TakeFlushCanceled();
        }
        catch (Exception ex) when (ex is not StreamResetException && !cancellationToken.IsCancellationRequested
                                   && (stream.ResetError is not null || connection.Closed.IsCancellationRequested))
        {
            // The stream was reset or the session closed under the write: report it as the stream's reset.
            throw stream.ResetError ?? new StreamResetException(StreamErrorCode.ConnectionClosed, $"The yamux session closed: {ex.Message}");
        }
        finally
        {
            if (bufferReader is not null)
            {
                bufferReader.AdvanceTo(data.Start);
            }
            else if (!data.IsEmpty)
            {
                // Cancelled (or failed) part way through the caller's memory: keep the rest, in order, for the next flush.
                PipeWriter buffer = (_buffer ??= new Pipe(s_bufferOptions)).Writer;
                foreach (ReadOnlyMemory<byte> segment in data)
                {
                    buffer.Write(segment.Span);
                }

                _buffered += data.Length;
            }

            stream.EndSend();
        }

        return new FlushResult(canceled, isCompleted: false);
    }

    private void ThrowIfCompleted()
    {
        if (_completed)
        {
            throw new InvalidOperationException("Writing is not allowed after the stream's output was completed.");
        }
    }
}
