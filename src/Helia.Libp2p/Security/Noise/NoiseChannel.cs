using System.IO.Pipelines;
using Microsoft.Extensions.Logging;

namespace Helia.Libp2p.Security.Noise;

/// <summary>
/// The encrypted duplex pipe after a Noise handshake, without loops or pipes of its own in the write path: the
/// application's writes land in the connection's output buffer and are encrypted there in place when it flushes
/// (<see cref="NoiseFrameWriter"/>), and its reads decrypt the frames the connection has received
/// (<see cref="NoiseFrameReader"/>). Each byte is thus encrypted on the writer's thread and decrypted on the reader's,
/// with no hand-off to another task in between. Frames sent carry at most 65518 plaintext bytes (64 KiB with header and
/// tag), frames received up to the protocol's 65519; nothing is allocated per frame.
/// Completing <see cref="Output"/> completes the connection's output.
/// </summary>
internal sealed class NoiseChannel : IDuplexPipe, IAsyncDisposable
{
    private readonly NoiseCipher _send;
    private readonly NoiseFrameReader _input;
    private readonly NoiseFrameWriter _output;

    public NoiseChannel(IDuplexPipe connection, NoiseCipher send, NoiseCipher receive, ILogger logger)
    {
        _send = send;
        _input = new NoiseFrameReader(connection.Input, receive, logger);
        _output = new NoiseFrameWriter(connection.Output, send);
    }

    public PipeReader Input => _input;

    public PipeWriter Output => _output;

    /// <summary>
    /// Completes both directions (and so the connection's pipes) and releases the sending key. The receiving key belongs
    /// to the reader, which releases it once no read uses it: a read under way when this runs may still decrypt.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        await _output.CompleteAsync();
        await _input.CompleteAsync();
        _send.Dispose();
    }
}
