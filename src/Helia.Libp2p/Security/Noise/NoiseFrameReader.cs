using System.Buffers;
using System.Diagnostics;
using System.IO.Pipelines;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;

namespace Helia.Libp2p.Security.Noise;

/// <summary>
/// The Noise channel's Input: decrypts on the reader's own ReadAsync, no loop of its own. It decrypts the complete
/// frames the connection has received into a plaintext pipe and returns that pipe's buffer; it waits on the connection
/// only when the application has examined everything decrypted so far. Frames split across the connection's buffer
/// segments are decrypted from one pooled scratch buffer: nothing is allocated per frame.
/// Back-pressure: it decrypts ahead of the application only while less than <see cref="MaxDecryptedAhead"/> bytes of
/// plaintext are unconsumed; the rest stays ciphertext in the connection's pipe, which then stops receiving.
/// Complete may come from another thread while a read waits on the connection (a channel disposed under its reader):
/// the read then ends as a completed read and the release of the buffers is left to it. The reader owns
/// <paramref name="cipher"/> and disposes it in that release, so a read that woke with data just before Complete still
/// decrypts with a live key.
/// </summary>
internal sealed partial class NoiseFrameReader(PipeReader connection, NoiseCipher cipher, ILogger logger) : PipeReader
{
    /// <summary>The most plaintext decrypted ahead of what the application has consumed (unless it asks for more).</summary>
    public const int MaxDecryptedAhead = 256 * 1024;

    // Never pauses: the decryption above stops at MaxDecryptedAhead.
    private static readonly PipeOptions s_plaintextOptions = new(
        pauseWriterThreshold: 0, resumeWriterThreshold: 0, minimumSegmentSize: 16 * 1024, useSynchronizationContext: false);

    private readonly Pipe _plaintext = new(s_plaintextOptions);
    private readonly Lock _sync = new();
    private byte[]? _scratch;
    private ReadOnlySequence<byte> _lastBuffer;
    private long _examined;                 // bytes at the start of the plaintext buffer the application has examined
    private long _unconsumed;               // plaintext bytes decrypted and not yet consumed
    private bool _connectionDone;
    private bool _reading;                  // a ReadAsync is waiting on the connection
    private bool _plaintextRead;            // the last read returned the plaintext pipe's buffer: AdvanceTo goes to it
    private bool _cancelRequested;          // CancelPendingRead: the read under way, or the next, returns cancelled
    private bool _completed;
    private bool _released;
    private Exception? _completion;

    /// <summary>Plaintext decrypted and not yet consumed by the application.</summary>
    internal long DecryptedAhead => Volatile.Read(ref _unconsumed);

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public override async ValueTask<ReadResult> ReadAsync(CancellationToken cancellationToken = default)
    {
        BeginRead();
        ReadResult result;
        try
        {
            while (true)
            {
                if (Volatile.Read(ref _completed))
                {
                    result = default;               // completed under this read: EndRead makes it a completed read
                    break;
                }

                if (TakeCancel())
                {
                    result = CanceledRead();
                    break;
                }

                if (!_connectionDone && _unconsumed < MaxDecryptedAhead && connection.TryRead(out ReadResult ready))
                {
                    DecryptAvailable(ready, mustDecrypt: false);
                }

                if (TryReadPlaintext(out result))
                {
                    break;
                }

                // The connection's TryRead above may have taken the wake-up that Complete or CancelPendingRead left on
                // the connection after setting its flag: the flag is then visible here, so look again before waiting.
                if (Volatile.Read(ref _completed) || Volatile.Read(ref _cancelRequested))
                {
                    continue;
                }

                ReadResult received = await connection.ReadAsync(cancellationToken);
                if (received.IsCanceled)
                {
                    // Our CancelPendingRead, Complete's wake-up, or a stale cancel left on the connection: the loop's
                    // checks tell them apart, so one CancelPendingRead cancels exactly one read.
                    connection.AdvanceTo(received.Buffer.Start);
                    continue;
                }

                if (Volatile.Read(ref _completed))
                {
                    result = default;               // completed while waiting
                    break;
                }

                DecryptAvailable(received, mustDecrypt: true);
            }
        }
        catch
        {
            EndRead(default);
            throw;
        }

        return EndRead(result);
    }

    public override bool TryRead(out ReadResult result)
    {
        BeginRead();
        bool read;
        try
        {
            if (TakeCancel())
            {
                result = CanceledRead();
                read = true;
            }
            else
            {
                if (!_connectionDone && _unconsumed < MaxDecryptedAhead && connection.TryRead(out ReadResult ready))
                {
                    DecryptAvailable(ready, mustDecrypt: false);
                }

                read = TryReadPlaintext(out result);
            }
        }
        catch
        {
            EndRead(default);
            throw;
        }

        result = EndRead(result);
        return read || result.IsCompleted;
    }

    public override void AdvanceTo(SequencePosition consumed) => AdvanceTo(consumed, consumed);

    public override void AdvanceTo(SequencePosition consumed, SequencePosition examined)
    {
        if (_completed)
        {
            return;                                 // completed under a read: the buffer is gone
        }

        if (!_plaintextRead)
        {
            _lastBuffer = default;                  // a cancelled read with nothing buffered: nothing to advance
            return;
        }

        long consumedBytes = _lastBuffer.Slice(_lastBuffer.Start, consumed).Length;
        long examinedBytes = _lastBuffer.Slice(_lastBuffer.Start, examined).Length;
        _examined = Math.Max(examinedBytes, consumedBytes) - consumedBytes;
        _unconsumed -= consumedBytes;
        _lastBuffer = default;
        _plaintextRead = false;
        _plaintext.Reader.AdvanceTo(consumed, examined);
    }

    /// <summary>Cancels the read under way, or the next one: exactly one read returns cancelled.</summary>
    public override void CancelPendingRead()
    {
        lock (_sync)
        {
            _cancelRequested = true;
        }

        connection.CancelPendingRead();             // wakes a read waiting on the connection
    }

    public override void Complete(Exception? exception = null)
    {
        lock (_sync)
        {
            if (_completed)
            {
                return;
            }

            _completed = true;
            _completion = exception;
            if (_reading)
            {
                // A read is under way: wake it if it waits on the connection; it releases everything when it ends.
                connection.CancelPendingRead();
                return;
            }
        }

        Release();
    }

    /// <summary>What a read returns when the reader was completed under it: its buffers are released when it ends.</summary>
    private static ReadResult CompletedRead() => new(default, isCanceled: false, isCompleted: true);

    private void BeginRead()
    {
        lock (_sync)
        {
            if (_completed)
            {
                throw new InvalidOperationException("Reading is not allowed after the Noise channel's input was completed.");
            }

            _reading = true;
        }
    }

    /// <summary>
    /// Ends a read with <paramref name="result"/>; if the reader was completed meanwhile (checked under the lock that
    /// Complete takes, so no Complete lands between this check and the read's end), releases what the read was using
    /// and turns the result into a completed read, so the caller never gets a buffer that is already released.
    /// </summary>
    private ReadResult EndRead(ReadResult result)
    {
        lock (_sync)
        {
            _reading = false;
            if (!_completed)
            {
                return result;
            }
        }

        Release();
        return CompletedRead();
    }

    private bool TakeCancel()
    {
        lock (_sync)
        {
            bool cancel = _cancelRequested;
            _cancelRequested = false;
            return cancel;
        }
    }

    /// <summary>A cancelled read: everything decrypted and unconsumed, flagged as cancelled.</summary>
    private ReadResult CanceledRead()
    {
        // The plaintext pipe's own cancel makes its TryRead return the whole unconsumed buffer (examined or not), and
        // this TryRead takes that cancel at once, so nothing is left to cancel a later read.
        _plaintext.Reader.CancelPendingRead();
        if (_plaintext.Reader.TryRead(out ReadResult buffered))
        {
            _plaintextRead = true;
            _lastBuffer = buffered.Buffer;
            return new ReadResult(buffered.Buffer, isCanceled: true, isCompleted: buffered.IsCompleted);
        }

        _lastBuffer = default;
        return new ReadResult(default, isCanceled: true, isCompleted: false);
    }

    private void Release()
    {
        lock (_sync)
        {
            if (_released)
            {
                return;
            }

            _released = true;
        }

        _lastBuffer = default;
        _plaintext.Reader.Complete(_completion);
        _plaintext.Writer.Complete();
        connection.Complete(_completion);
        cipher.Dispose();
        if (_scratch is { } scratch)
        {
            _scratch = null;
            ArrayPool<byte>.Shared.Return(scratch);
        }
    }

    /// <summary>Returns the plaintext buffer if it holds bytes the application has not examined, or the pipe ended.</summary>
    private bool TryReadPlaintext(out ReadResult result)
    {
        if (_plaintext.Reader.TryRead(out result))
        {
            if (result.Buffer.Length > _examined || result.IsCompleted)
            {
                _plaintextRead = true;
                _lastBuffer = result.Buffer;
                return true;
            }

            _plaintext.Reader.AdvanceTo(result.Buffer.Start, result.Buffer.End);   // nothing new: wait for the connection
        }

        return false;
    }

    /// <summary>
    /// Decrypts the complete frames of <paramref name="received"/> while less than <see cref="MaxDecryptedAhead"/> is
    /// unconsumed (at least one when <paramref name="mustDecrypt"/>: the application has examined everything), gives back
    /// the rest, and ends the plaintext when the connection has ended and every frame is decrypted.
    /// </summary>
    private void DecryptAvailable(ReadResult received, bool mustDecrypt)
    {
        ReadOnlySequence<byte> buffer = received.Buffer;
        bool decrypted = false;
        bool stopped = false;                       // complete frames are left for later (back-pressure)
        try
        {
            while (true)
            {
                if (_unconsumed >= MaxDecryptedAhead && (decrypted || !mustDecrypt))
                {
                    stopped = buffer.Length >= NoiseFrame.HeaderSize;
                    break;
                }

                if (!NoiseFrame.TryRead(ref buffer, out ReadOnlySequence<byte> message))
                {
                    break;
                }

                DecryptFrame(message);
                decrypted = true;
            }

            if (decrypted)
            {
                // The plaintext pipe never pauses, so this completes at once.
                ValueTask<FlushResult> flush = _plaintext.Writer.FlushAsync(CancellationToken.None);
                Debug.Assert(flush.IsCompleted, "The plaintext pipe has no pause threshold.");
            }

            if (received.IsCompleted && !stopped)
            {
                _connectionDone = true;
                if (!buffer.IsEmpty)
                {
                    throw new NoiseException($"The connection ended inside a Noise frame ({buffer.Length} bytes left).");
                }

                _plaintext.Writer.Complete();
            }
        }
        catch (Exception ex)
        {
            Log.ReadFailed(logger, ex.Message, ex);
            _connectionDone = true;
            _plaintext.Writer.Complete(ex);
            throw;
        }
        finally
        {
            // Stopped early: leave the rest unexamined, so the next read sees it without waiting for more bytes.
            connection.AdvanceTo(buffer.Start, stopped ? buffer.Start : buffer.End);
        }
    }

    private void DecryptFrame(in ReadOnlySequence<byte> message)
    {
        int length = (int)message.Length;
        ReadOnlySpan<byte> ciphertext;
        if (message.IsSingleSegment)
        {
            ciphertext = message.FirstSpan;
        }
        else
        {
            _scratch ??= ArrayPool<byte>.Shared.Rent(NoiseFrame.MaxMessageSize);
            message.CopyTo(_scratch);
            ciphertext = _scratch.AsSpan(0, length);
        }

        int plaintextLength = Math.Max(length - NoiseCipher.TagSize, 0);
        PipeWriter plaintext = _plaintext.Writer;
        cipher.Decrypt(ciphertext, plaintext.GetSpan(Math.Max(plaintextLength, 1)), []);
        plaintext.Advance(plaintextLength);
        _unconsumed += plaintextLength;
    }

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Debug, Message = "Noise channel closed on a read error: {Reason}")]
        public static partial void ReadFailed(ILogger logger, string reason, Exception exception);
    }
}
