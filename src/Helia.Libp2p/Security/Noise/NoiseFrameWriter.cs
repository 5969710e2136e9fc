using System.IO.Pipelines;

namespace Helia.Libp2p.Security.Noise;

/// <summary>
/// The Noise channel's Output: hands out the connection's own buffer, two bytes past the start of a frame, so what the
/// application writes lands where its ciphertext goes; FlushAsync (or a full frame) writes the length prefix, encrypts
/// the plaintext in place, appends the tag and advances the connection's writer. No copy, no loop, no allocation: the
/// writer's own FlushAsync flushes the connection, so the back-pressure is the connection's.
/// The first frame after a flush asks the connection only for room for the write at hand, so a small message (a window
/// update, a ping) goes into the connection's current buffer rather than making it take a fresh 64 KiB one; once a
/// frame fills up, the writer is streaming and each next frame asks for room for the largest frame, so bulk data goes
/// out in full frames.
/// </summary>
internal sealed class NoiseFrameWriter(PipeWriter connection, NoiseCipher cipher) : PipeWriter
{
    /// <summary>
    /// The largest frame written: 64 KiB with its header (a 65534-byte message), one byte short of the protocol's limit,
    /// so that a frame fills exactly one 64 KiB pooled array; a 65537-byte frame would take a 128 KiB array, and land
    /// across two of the receiver's 64 KiB receives.
    /// </summary>
    internal const int FrameSize = 64 * 1024;

    /// <summary>The most plaintext one frame of this writer carries, so the largest GetMemory hint it takes.</summary>
    internal const int MaxPlaintextSize = FrameSize - NoiseFrame.HeaderSize - NoiseCipher.TagSize;

    private Memory<byte> _frame;            // the connection's memory the current frame is built in (header first)
    private int _length;                    // plaintext bytes written into it
    private bool _streaming;                // a frame filled up since the last flush: ask for whole frames
    private bool _completed;

    private int Available => _frame.Length - NoiseFrame.HeaderSize - NoiseCipher.TagSize - _length;

    public override Memory<byte> GetMemory(int sizeHint = 0)
    {
        if (_completed)
        {
            throw new InvalidOperationException("The Noise channel's output is completed.");
        }

        int needed = Math.Max(sizeHint, 1);
        if (needed > MaxPlaintextSize)
        {
            throw new ArgumentOutOfRangeException(nameof(sizeHint), sizeHint, $"A Noise frame holds at most {MaxPlaintextSize} bytes; write more with Write.");
        }

        if (!_frame.IsEmpty && Available < needed)
        {
            _streaming = true;
            Seal();
        }

        if (_frame.IsEmpty)
        {
            int request = _streaming ? FrameSize : NoiseFrame.HeaderSize + needed + NoiseCipher.TagSize;
            Memory<byte> memory = connection.GetMemory(request);
            _frame = memory.Length > FrameSize ? memory[..FrameSize] : memory;
            _length = 0;
        }

        return _frame.Slice(NoiseFrame.HeaderSize + _length, Available);
    }

    public override Span<byte> GetSpan(int sizeHint = 0) => GetMemory(sizeHint).Span;

    public override void Advance(int bytes)
    {
        if (bytes == 0)
        {
            return;
        }

        ArgumentOutOfRangeException.ThrowIfNegative(bytes);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(bytes, Math.Max(Available, 0));
        _length += bytes;
        if (Available == 0)
        {
            _streaming = true;
            Seal();
        }
    }

    public override ValueTask<FlushResult> FlushAsync(CancellationToken cancellationToken = default)
    {
        Seal();
        _streaming = false;
        return connection.FlushAsync(cancellationToken);
    }

    public override void CancelPendingFlush() => connection.CancelPendingFlush();

    public override void Complete(Exception? exception = null)
    {
        if (Finish(exception))
        {
            connection.Complete(exception);
        }
    }

    public override ValueTask CompleteAsync(Exception? exception = null) =>
        Finish(exception) ? connection.CompleteAsync(exception) : ValueTask.CompletedTask;

    /// <summary>Seals what is written (unless failing) and stops the writer; false if it had already stopped.</summary>
    private bool Finish(Exception? exception)
    {
        if (_completed)
        {
            return false;
        }

        if (exception is null)
        {
            Seal();
        }

        _completed = true;
        _frame = default;
        return true;
    }

    /// <summary>Encrypts the frame built so far in place and hands it to the connection's writer.</summary>
    private void Seal()
    {
        if (_length > 0)
        {
            Span<byte> frame = _frame.Span;
            NoiseFrame.WriteHeader(frame, _length + NoiseCipher.TagSize);
            Span<byte> message = frame[NoiseFrame.HeaderSize..];
            cipher.Encrypt(message[.._length], message, []);
            connection.Advance(NoiseFrame.HeaderSize + _length + NoiseCipher.TagSize);
        }

        _frame = default;
        _length = 0;
    }
}
