using System.Buffers;
using System.IO.Pipelines;
using Microsoft.Extensions.Logging;

namespace Helia.Libp2p.Security.Noise;

/// <summary>
/// The encrypted duplex pipe after a Noise handshake. Two owned loops: the read loop takes frames from the connection,
/// decrypts each straight into the application's input pipe; the write loop takes what the application wrote, cuts it
/// into frames of at most 65519 plaintext bytes and encrypts each straight into the connection's output.
/// Frames split across pipe segments go through one pooled scratch buffer per direction: nothing is allocated per frame.
/// Completing <see cref="Output"/> ends the write loop and completes the connection's output.
/// </summary>
internal sealed partial class NoiseChannel : IDuplexPipe, IAsyncDisposable
{
    private static readonly PipeOptions s_pipeOptions = new(
        pauseWriterThreshold: 1024 * 1024, resumeWriterThreshold: 512 * 1024, minimumSegmentSize: 16 * 1024, useSynchronizationContext: false);

    private readonly IDuplexPipe _connection;
    private readonly NoiseCipher _send;
    private readonly NoiseCipher _receive;
    private readonly ILogger _logger;
    private readonly Pipe _inbound = new(s_pipeOptions);
    private readonly Pipe _outbound = new(s_pipeOptions);
    private readonly Task _readLoop;
    private readonly Task _writeLoop;

    public NoiseChannel(IDuplexPipe connection, NoiseCipher send, NoiseCipher receive, ILogger logger)
    {
        _connection = connection;
        _send = send;
        _receive = receive;
        _logger = logger;
        _readLoop = RunReadLoopAsync();
        _writeLoop = RunWriteLoopAsync();
    }

    public PipeReader Input => _inbound.Reader;

    public PipeWriter Output => _outbound.Writer;

    private async Task RunReadLoopAsync()
    {
        await Task.Yield();
        byte[] scratch = ArrayPool<byte>.Shared.Rent(NoiseFrame.MaxMessageSize);
        Exception? error = null;
        try
        {
            await ReadFramesAsync(scratch);
        }
        catch (Exception ex)
        {
            error = ex;
            Log.ReadFailed(_logger, ex.Message, ex);
            _outbound.Reader.CancelPendingRead();
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(scratch);
            await _inbound.Writer.CompleteAsync(error);
            await _connection.Input.CompleteAsync(error);
        }
    }

    private async Task ReadFramesAsync(byte[] scratch)
    {
        PipeReader input = _connection.Input;
        PipeWriter inbound = _inbound.Writer;
        while (true)
        {
            ReadResult result = await input.ReadAsync();
            ReadOnlySequence<byte> buffer = result.Buffer;
            int frames = 0;
            try
            {
                while (NoiseFrame.TryRead(ref buffer, out ReadOnlySequence<byte> message))
                {
                    DecryptFrame(message, inbound, scratch);
                    frames++;
                }
            }
            finally
            {
                input.AdvanceTo(buffer.Start, buffer.End);
            }

            if (frames > 0)
            {
                FlushResult flush = await inbound.FlushAsync();
                if (flush.IsCompleted)
                {
                    return;                     // the application stopped reading
                }
            }

            if (result.IsCompleted || result.IsCanceled)
            {
                if (!buffer.IsEmpty)
                {
                    throw new NoiseException($"The connection ended inside a Noise frame ({buffer.Length} bytes left).");
                }

                return;
            }
        }
    }

    private void DecryptFrame(in ReadOnlySequence<byte> message, PipeWriter inbound, byte[] scratch)
    {
        int length = (int)message.Length;
        ReadOnlySpan<byte> ciphertext;
        if (message.IsSingleSegment)
        {
            ciphertext = message.FirstSpan;
        }
        else
        {
            message.CopyTo(scratch);
            ciphertext = scratch.AsSpan(0, length);
        }

        int plaintextLength = Math.Max(length - NoiseCipher.TagSize, 0);
        Span<byte> destination = inbound.GetSpan(Math.Max(plaintextLength, 1));
        _receive.Decrypt(ciphertext, destination, []);
        inbound.Advance(plaintextLength);
    }

    private async Task RunWriteLoopAsync()
    {
        await Task.Yield();
        byte[] scratch = ArrayPool<byte>.Shared.Rent(NoiseFrame.MaxPlaintextSize);
        Exception? error = null;
        try
        {
            await WriteFramesAsync(scratch);
        }
        catch (Exception ex)
        {
            error = ex;
            Log.WriteFailed(_logger, ex.Message, ex);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(scratch);
            await _outbound.Reader.CompleteAsync(error);
            await _connection.Output.CompleteAsync(error);
        }
    }

    private async Task WriteFramesAsync(byte[] scratch)
    {
        PipeReader outbound = _outbound.Reader;
        PipeWriter output = _connection.Output;
        while (true)
        {
            ReadResult result = await outbound.ReadAsync();
            if (result.IsCanceled)
            {
                return;                         // the read side failed: stop writing too
            }

            ReadOnlySequence<byte> buffer = result.Buffer;
            while (!buffer.IsEmpty)
            {
                ReadOnlySequence<byte> chunk = buffer.Slice(0, Math.Min(buffer.Length, NoiseFrame.MaxPlaintextSize));
                EncryptFrame(chunk, output, scratch);
                buffer = buffer.Slice(chunk.End);
            }

            outbound.AdvanceTo(buffer.End);
            FlushResult flush = await output.FlushAsync();
            if (flush.IsCompleted || result.IsCompleted)
            {
                return;
            }
        }
    }

    private void EncryptFrame(in ReadOnlySequence<byte> chunk, PipeWriter output, byte[] scratch)
    {
        int length = (int)chunk.Length;
        ReadOnlySpan<byte> plaintext;
        if (chunk.IsSingleSegment)
        {
            plaintext = chunk.FirstSpan;
        }
        else
        {
            chunk.CopyTo(scratch);
            plaintext = scratch.AsSpan(0, length);
        }

        int frameLength = NoiseFrame.HeaderSize + length + NoiseCipher.TagSize;
        Span<byte> frame = output.GetSpan(frameLength);
        NoiseFrame.WriteHeader(frame, length + NoiseCipher.TagSize);
        _send.Encrypt(plaintext, frame[NoiseFrame.HeaderSize..], []);
        output.Advance(frameLength);
    }

    /// <summary>Stops both loops (completing this channel's pipes) and waits for them.</summary>
    public async ValueTask DisposeAsync()
    {
        await _outbound.Writer.CompleteAsync();
        await _inbound.Reader.CompleteAsync();
        _connection.Input.CancelPendingRead();
        await Task.WhenAll(_readLoop, _writeLoop);
        _send.Dispose();
        _receive.Dispose();
    }

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Debug, Message = "Noise channel closed on a read error: {Reason}")]
        public static partial void ReadFailed(ILogger logger, string reason, Exception exception);

        [LoggerMessage(Level = LogLevel.Debug, Message = "Noise channel closed on a write error: {Reason}")]
        public static partial void WriteFailed(ILogger logger, string reason, Exception exception);
    }
}
