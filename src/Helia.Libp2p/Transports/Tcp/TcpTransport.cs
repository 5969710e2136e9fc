using System.Net;
using System.Net.Sockets;
using Helia.Multiformats;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Helia.Libp2p.Transports.Tcp;

/// <summary>TCP on /ip4/…/tcp/… and /ip6/…/tcp/… addresses (an optional /p2p/ suffix is allowed when dialing).</summary>
public sealed partial class TcpTransport : ITransport
{
    private readonly TcpTransportOptions _options;
    private readonly ILogger<TcpTransport> _logger;

    public TcpTransport(TcpTransportOptions? options = null, ILogger<TcpTransport>? logger = null)
    {
        _options = options ?? new TcpTransportOptions();
        _options.Validate();
        _logger = logger ?? NullLogger<TcpTransport>.Instance;
    }

    public bool CanDial(Multiaddr address)
    {
        Multiaddr bare = address.WithoutPeerId();
        return bare.Components.Count == 2 && bare.TryGetTcpEndPoint(out _);
    }

    public async ValueTask<ITransportConnection> DialAsync(Multiaddr address, CancellationToken cancellationToken)
    {
        IPEndPoint endPoint = GetEndPoint(address);
        var socket = new Socket(endPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.DialTimeout);
        try
        {
            await socket.ConnectAsync(endPoint, timeout.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            socket.Dispose();
            throw new TimeoutException($"Dialing {address} timed out after {_options.DialTimeout.TotalSeconds:0.#} s.");
        }
        catch (SocketException ex)
        {
            socket.Dispose();
            throw new Libp2pException($"Dialing {address} failed: {ex.SocketErrorCode}.", ex);
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        Log.Dialed(_logger, address);
        return new TcpConnection(socket, _options.MemoryPool, _logger);
    }

    public ValueTask<ITransportListener> ListenAsync(Multiaddr address, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        IPEndPoint endPoint = GetEndPoint(address);
        var socket = new Socket(endPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            if (endPoint.AddressFamily == AddressFamily.InterNetworkV6)
            {
                socket.DualMode = false;
            }

            socket.Bind(endPoint);
            socket.Listen(_options.Backlog);
        }
        catch (SocketException ex)
        {
            socket.Dispose();
            throw new Libp2pException($"Listening on {address} failed: {ex.SocketErrorCode}.", ex);
        }

        var listener = new TcpListener(socket, _options.MemoryPool, _logger);
        Log.Listening(_logger, listener.Address);
        return ValueTask.FromResult<ITransportListener>(listener);
    }

    private IPEndPoint GetEndPoint(Multiaddr address)
    {
        if (!CanDial(address) || !address.WithoutPeerId().TryGetTcpEndPoint(out IPEndPoint? endPoint))
        {
            throw new ArgumentException($"{address} is not an /ip4|ip6/…/tcp/… address.", nameof(address));
        }

        return endPoint;
    }

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Debug, Message = "Dialed {Address}")]
        public static partial void Dialed(ILogger logger, Multiaddr address);

        [LoggerMessage(Level = LogLevel.Debug, Message = "Listening on {Address}")]
        public static partial void Listening(ILogger logger, Multiaddr address);
    }
}
