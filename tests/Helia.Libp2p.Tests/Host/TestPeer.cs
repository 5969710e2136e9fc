using System.Buffers;
using System.IO.Pipelines;
using System.Threading.Channels;
using Helia.Libp2p.Crypto;
using Helia.Libp2p.Host;
using Helia.Libp2p.Muxing.Yamux;
using Helia.Libp2p.Security.Noise;
using Helia.Multiformats;
using Microsoft.Extensions.Logging;

namespace Helia.Libp2p.Tests.Host;

/// <summary>
/// A minimal libp2p peer for tests: transport + Noise + Yamux through <see cref="ConnectionUpgrader"/>, an /echo/1.0.0
/// handler, and an accept loop that reports upgraded inbound connections and failed ones on channels.
/// </summary>
internal sealed class TestPeer : IAsyncDisposable
{
    public const string EchoProtocol = "/echo/1.0.0";

    private readonly ITransport _transport;
    private readonly CancellationTokenSource _stopping = new();
    private readonly List<Task> _tasks = [];
    private readonly List<Libp2pConnection> _connections = [];
    private ITransportListener? _listener;

    /// <summary>A peer on <paramref name="transport"/>; <paramref name="logs"/> (none by default) receives the upgrader's and the muxer's log, so tests can check a failure's logged reason.</summary>
    public TestPeer(ITransport transport, PrivateKey? key = null, ConnectionUpgraderOptions? options = null, ILoggerFactory? logs = null)
    {
        _transport = transport;
        Key = key ?? Ed25519PrivateKey.Generate();
        Id = PeerId.FromMultihash(Key.PublicKey.ToPeerIdMultihash());
        Noise = new NoiseProtocol(Key);
        Protocols = new ProtocolRegistry();
        Protocols.Add(EchoProtocol, EchoAsync, new StreamHandlerOptions { MaxInboundStreams = 256, MaxOutboundStreams = 256 });
        Upgrader = new ConnectionUpgrader(
            [Noise], [new YamuxMuxer(logger: logs?.CreateLogger<YamuxMuxer>())], Protocols, options, logs?.CreateLogger<ConnectionUpgrader>());
    }

    public PrivateKey Key { get; }

    public PeerId Id { get; }

    public NoiseProtocol Noise { get; }

    public ProtocolRegistry Protocols { get; }

    public ConnectionUpgrader Upgrader { get; }

    public Multiaddr Address => _listener?.Address.WithPeerId(Id) ?? throw new InvalidOperationException("Not listening.");

    public Channel<Libp2pConnection> Inbound { get; } = Channel.CreateUnbounded<Libp2pConnection>();

    public Channel<Exception> InboundFailures { get; } = Channel.CreateUnbounded<Exception>();

    public async Task<Multiaddr> ListenAsync(Multiaddr address, CancellationToken cancellationToken)
    {
        _listener = await _transport.ListenAsync(address, cancellationToken);
        _tasks.Add(AcceptLoopAsync(_listener));
        return Address;
    }

    public async Task<Libp2pConnection> DialAsync(Multiaddr address, CancellationToken cancellationToken)
    {
        ITransportConnection raw = await _transport.DialAsync(address, cancellationToken);
        Libp2pConnection connection = await Upgrader.UpgradeOutboundAsync(raw, address.PeerId, cancellationToken);
        lock (_connections)
        {
            _connections.Add(connection);
        }

        return connection;
    }

    /// <summary>Opens an /echo/1.0.0 stream, sends <paramref name="payload"/>, half-closes, and returns what came back.</summary>
    public static async Task<byte[]> EchoThroughAsync(IConnection connection, byte[] payload, CancellationToken cancellationToken)
    {
        await using IStream stream = await connection.NewStreamAsync([EchoProtocol], cancellationToken);
        Task<byte[]> reading = ReadToEndAsync(stream.Input, payload.Length, cancellationToken);
        for (int offset = 0; offset < payload.Length; offset += 64 * 1024)
        {
            await stream.Output.WriteAsync(payload.AsMemory(offset, Math.Min(64 * 1024, payload.Length - offset)), cancellationToken);
        }

        await stream.Output.CompleteAsync();
        return await reading;
    }

    public static async Task EchoAsync(IStream stream, CancellationToken cancellationToken)
    {
        while (true)
        {
            ReadResult result = await stream.Input.ReadAsync(cancellationToken);
            foreach (ReadOnlyMemory<byte> segment in result.Buffer)
            {
                stream.Output.Write(segment.Span);
            }

            stream.Input.AdvanceTo(result.Buffer.End);
            await stream.Output.FlushAsync(cancellationToken);
            if (result.IsCompleted)
            {
                break;
            }
        }

        await stream.Output.CompleteAsync();
    }

    public static async Task<byte[]> ReadToEndAsync(PipeReader input, int expectedLength, CancellationToken cancellationToken)
    {
        byte[] received = new byte[expectedLength];
        int length = 0;
        while (true)
        {
            ReadResult result = await input.ReadAsync(cancellationToken);
            foreach (ReadOnlyMemory<byte> segment in result.Buffer)
            {
                if (length + segment.Length > expectedLength)
                {
                    throw new InvalidOperationException($"More than the {expectedLength} bytes expected came back.");
                }

                segment.Span.CopyTo(received.AsSpan(length));
                length += segment.Length;
            }

            input.AdvanceTo(result.Buffer.End);
            if (result.IsCompleted)
            {
                return length == expectedLength ? received : received[..length];
            }
        }
    }

    private async Task AcceptLoopAsync(ITransportListener listener)
    {
        try
        {
            while (true)
            {
                ITransportConnection raw = await listener.AcceptAsync(_stopping.Token);
                lock (_tasks)
                {
                    _tasks.Add(UpgradeInboundAsync(raw));
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private async Task UpgradeInboundAsync(ITransportConnection raw)
    {
        try
        {
            Libp2pConnection connection = await Upgrader.UpgradeInboundAsync(raw, _stopping.Token);
            lock (_connections)
            {
                _connections.Add(connection);
            }

            await Inbound.Writer.WriteAsync(connection, _stopping.Token);
        }
        catch (Exception ex)
        {
            InboundFailures.Writer.TryWrite(ex);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        if (_listener is not null)
        {
            await _listener.DisposeAsync();
        }

        Task[] tasks;
        lock (_tasks)
        {
            tasks = [.. _tasks];
        }

        await Task.WhenAll(tasks);
        foreach (Libp2pConnection connection in _connections)
        {
            await connection.DisposeAsync();
        }

        Noise.Dispose();
        Key.Dispose();
    }
}
