using System.Buffers;
using System.Net;
using System.Net.Sockets;
using Helia.Multiformats;
using Microsoft.Extensions.Logging;

namespace Helia.Libp2p.Transports.Tcp;

/// <summary>A bound TCP socket; disposing it stops accepting (pending accepts throw <see cref="OperationCanceledException"/>).</summary>
internal sealed class TcpListener : ITransportListener
{
    private readonly Socket _socket;
    private readonly MemoryPool<byte> _pool;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _disposed = new();

    public TcpListener(Socket socket, MemoryPool<byte> pool, ILogger logger)
    {
        _socket = socket;
        _pool = pool;
        _logger = logger;
        Address = Multiaddr.FromTcpEndPoint((IPEndPoint)socket.LocalEndPoint!);
    }

    public Multiaddr Address { get; }

    public async ValueTask<ITransportConnection> AcceptAsync(CancellationToken cancellationToken)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _disposed.Token);
        Socket socket;
        try
        {
            socket = await _socket.AcceptAsync(linked.Token);
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException && _disposed.IsCancellationRequested)
        {
            throw new OperationCanceledException("The listener was disposed.", ex, _disposed.Token);
        }

        socket.NoDelay = true;
        return new TcpConnection(socket, _pool, _logger);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_disposed.IsCancellationRequested)
        {
            await _disposed.CancelAsync();
            _socket.Dispose();
        }
    }
}
