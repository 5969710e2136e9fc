using System.Buffers;
using System.Diagnostics;
using System.IO.Pipelines;
using Microsoft.Extensions.Logging;

namespace Helia.Libp2p.Security.Noise;

/// <summary>
/// The Noise channel's Input: decrypts on the reader's own ReadAsync, no loop of its own. It decrypts every complete
/// frame the connection has received into a plaintext pipe and returns that pipe's buffer; it waits on the connection
/// only when the application has examined everything decrypted so far. Frames split across the connection's buffer
/// segments are decrypted from one pooled scratch buffer: nothing is allocated per frame.
/// </summary>
internal sealed partial class NoiseFrameReader(PipeReader connection, NoiseCipher cipher, ILogger logger) : PipeReader
{
    // Never pauses: the connection's own pipe bounds what is received and not yet read.
    private static readonly PipeOptions s_plaintextOptions = new(
        pauseWriterThreshold: 0, resumeWriterThreshold: 0, minimumSegmentSize: 16 * 1024, useSynchronizationContext: false);

    private readonly Pipe _plaintext = new(s_plaintextOptions);
    private byte[]? _scratch;
    private ReadOnlySequence<byte> _lastBuffer;
    private long _examined;                 // bytes at the start of the plaintext buffer the application has examined
    private bool _connectionDone;
    private bool _completed;

    public override async ValueTask<ReadResult> ReadAsync(CancellationToken cancellationToken = default)
    {
        while (true)
        {
            if (!_connectionDone && connection.TryRead(out ReadResult ready))
            {
                DecryptAvailable(ready);
            }

            if (TryReadPlaintext(out ReadResult result))
            {
                return result;
            }

            ReadResult received = await connection.ReadAsync(cancellationToken);
            DecryptAvailable(received);
        }
    }

    public override bool TryRead(out ReadResult result)
    {
        if (!_connectionDone && connection.TryRead(out ReadResult ready))
        {
            DecryptAvailable(ready);
        }

        return TryReadPlaintext(out result);
    }

    public override void AdvanceTo(SequencePosition consumed) => AdvanceTo(consumed, consumed);

    public override void AdvanceTo(SequencePosition consumed, SequencePosition examined)
    {
        long consumedBytes = _lastBuffer.Slice(_lastBuffer.Start, consumed).Length;
        long examinedBytes = _lastBuffer.Slice(_lastBuffer.Start, examined).Length;
        _examined = Math.Max(examinedBytes, consumedBytes) - consumedBytes;
        _lastBuffer = default;
        _plaintext.Reader.AdvanceTo(consumed, examined);
    }

    public override void CancelPendingRead()
    {
        _plaintext.Reader.CancelPendingRead();
        connection.CancelPendingRead();
    }

    public override void Complete(Exception? exception = null)
    {
        if (_completed)
        {
            return;
        }

        _completed = true;
        _lastBuffer = default;
        _plaintext.Reader.Complete(exception);
        _plaintext.Writer.Complete();
        connection.Complete(exception);
        if (_scratch is { } scratch)
        {
            _scratch = null;
            ArrayPool<byte>.Shared.Return(scratch);
        }
    }

    /// <summary>Returns the plaintext buffer if it holds bytes the application has not examined, or the pipe ended or was cancelled.</summary>
    private bool TryReadPlaintext(out ReadResult result)
    {
        if (_plaintext.Reader.TryRead(out result))
        {
            if (result.Buffer.Length > _examined || result.IsCompleted || result.IsCanceled)
            {
                _lastBuffer = result.Buffer;
                return true;
            }

            _plaintext.Reader.AdvanceTo(result.Buffer.Start, result.Buffer.End);   // nothing new: wait for the connection
        }

        return false;
    }

    /// <summary>Decrypts every complete frame of <paramref name="received"/>, gives back the rest, and ends the plaintext when the connection ends.</summary>
    private void DecryptAvailable(ReadResult received)
    {
        ReadOnlySequence<byte> buffer = received.Buffer;
        bool decrypted = false;
        try
        {
            while (NoiseFrame.TryRead(ref buffer, out ReadOnlySequence<byte> message))
            {
                DecryptFrame(message);
                decrypted = true;
            }

            if (received.IsCompleted)
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
            connection.AdvanceTo(buffer.Start, buffer.End);
            if (decrypted)
            {
                // The plaintext pipe never pauses, so this completes at once.
                ValueTask<FlushResult> flush = _plaintext.Writer.FlushAsync(CancellationToken.None);
                Debug.Assert(flush.IsCompleted, "The plaintext pipe has no pause threshold.");
            }
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
    }

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Debug, Message = "Noise channel closed on a read error: {Reason}")]
        public static partial void ReadFailed(ILogger logger, string reason, Exception exception);
    }
}
