using System.Buffers;
using System.Diagnostics;
using System.IO.Pipelines;
using System.Security.Cryptography;
using Helia.Multiformats;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Helia.Libp2p.Protocols.Ping;

/// <summary>/ipfs/ping/1.0.0 (specs: libp2p/ping): the dialer sends 32 random bytes, the listener echoes them.</summary>
public sealed partial class PingService
{
    public const string ProtocolId = "/ipfs/ping/1.0.0";
    private const int PayloadSize = 32;

    private readonly ILibp2pHost _host;
    private readonly ILogger<PingService> _logger;

    public PingService(ILibp2pHost host, ILogger<PingService>? logger = null)
    {
        _host = host;
        _logger = logger ?? NullLogger<PingService>.Instance;
    }

    public IDisposable Register() => _host.Handle(ProtocolId, HandleAsync);

    internal async Task HandleAsync(IStream stream, CancellationToken cancellationToken)
    {
        while (true)
        {
            ReadResult result = await stream.Input.ReadAtLeastAsync(PayloadSize, cancellationToken);
            ReadOnlySequence<byte> buffer = result.Buffer;
            if (buffer.Length < PayloadSize)
            {
                stream.Input.AdvanceTo(buffer.End);      // the remote half-closed: we are done
                break;
            }

            ReadOnlySequence<byte> ping = buffer.Slice(0, PayloadSize);
            foreach (ReadOnlyMemory<byte> segment in ping)
            {
                stream.Output.Write(segment.Span);
            }

            stream.Input.AdvanceTo(ping.End);
            await stream.Output.FlushAsync(cancellationToken);
        }

        Log.StreamEnded(_logger, stream.Connection.RemotePeer);
    }

    /// <summary>Pings the peer once (dialing it if needed) and returns the round-trip time.</summary>
    public async Task<TimeSpan> PingAsync(PeerId peer, CancellationToken cancellationToken = default)
    {
        await using IStream stream = await _host.NewStreamAsync(peer, [ProtocolId], cancellationToken);
        byte[] payload = RandomNumberGenerator.GetBytes(PayloadSize);
        long started = Stopwatch.GetTimestamp();
        await stream.Output.WriteAsync(payload, cancellationToken);

        ReadResult result = await stream.Input.ReadAtLeastAsync(PayloadSize, cancellationToken);
        try
        {
            if (result.Buffer.Length < PayloadSize || !IsEcho(result.Buffer, payload))
            {
                throw new Libp2pProtocolException(ProtocolId, "The ping payload was not echoed.");
            }

            return Stopwatch.GetElapsedTime(started);
        }
        finally
        {
            stream.Input.AdvanceTo(result.Buffer.End);
        }
    }

    private static bool IsEcho(in ReadOnlySequence<byte> received, ReadOnlySpan<byte> sent)
    {
        Span<byte> echo = stackalloc byte[PayloadSize];
        received.Slice(0, PayloadSize).CopyTo(echo);
        return echo.SequenceEqual(sent);
    }

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Debug, Message = "Ping stream from {Peer} ended")]
        public static partial void StreamEnded(ILogger logger, PeerId peer);
    }
}
