using System.Diagnostics;
using Helia.Multiformats;
using Microsoft.Extensions.Logging;

namespace Helia.Libp2p.Host;

public sealed partial class Libp2pHost
{
    /// <summary>Returns an open connection to the peer, or joins the dial in progress, or dials its known addresses.</summary>
    public async ValueTask<IConnection> DialAsync(PeerId peer, CancellationToken cancellationToken = default) =>
        await DialPeerAsync(peer, preferred: null, cancellationToken);

    /// <summary>Dials an address. With a /p2p/ suffix it is coalesced like a dial by peer id and the identity is checked.</summary>
    public async ValueTask<IConnection> DialAsync(Multiaddr address, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (address.PeerId is { } peer)
        {
            return await DialPeerAsync(peer, address.WithoutPeerId(), cancellationToken);
        }

        ObjectDisposedException.ThrowIf(_stopping.IsCancellationRequested, this);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _stopping.Token);
        timeout.CancelAfter(_options.DialTimeout);
        return await DialAddressAsync(address, expectedPeer: null, timeout.Token);
    }

    private bool IsConnected(PeerId peer)
    {
        lock (_lock)
        {
            return _connections.ContainsKey(peer);
        }
    }

    private async Task<IConnection> DialPeerAsync(PeerId peer, Multiaddr? preferred, CancellationToken cancellationToken)
    {
        if (peer == Id)
        {
            throw new ArgumentException("A host does not dial itself.", nameof(peer));
        }

        ObjectDisposedException.ThrowIf(_stopping.IsCancellationRequested, this);
        Task<Libp2pConnection> dial;
        lock (_lock)
        {
            if (_connections.TryGetValue(peer, out List<Libp2pConnection>? open) && open.Count > 0)
            {
                return open[0];
            }

            if (!_dials.TryGetValue(peer, out dial!))
            {
                dial = DialPeerOnceAsync(peer, preferred);
                _dials[peer] = dial;
            }
        }

        // The shared attempt runs on the host's token; a caller that gives up only stops waiting for it.
        return await dial.WaitAsync(cancellationToken);
    }

    private async Task<Libp2pConnection> DialPeerOnceAsync(PeerId peer, Multiaddr? preferred)
    {
        await Task.Yield();
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_stopping.Token);
            timeout.CancelAfter(_options.DialTimeout);
            var addresses = new List<Multiaddr>();
            if (preferred is not null)
            {
                addresses.Add(preferred);
            }

            foreach (Multiaddr known in _peerStore.GetAddresses(peer))
            {
                if (!addresses.Contains(known))
                {
                    addresses.Add(known);
                }
            }

            if (addresses.Count == 0)
            {
                throw new Libp2pException($"No addresses are known for {peer}.");
            }

            var errors = new List<Exception>();
            foreach (Multiaddr address in addresses)
            {
                if (!_transports.Any(t => t.CanDial(address)))
                {
                    continue;
                }

                try
                {
                    return await DialAddressAsync(address, peer, timeout.Token);
                }
                catch (Exception ex) when (ex is not OperationCanceledException || !timeout.IsCancellationRequested)
                {
                    Log.DialAddressFailed(_logger, peer, address, ex.Message);
                    errors.Add(ex);
                }
            }

            throw errors.Count == 0
                ? new Libp2pException($"None of the {addresses.Count} addresses of {peer} can be dialed by our transports.")
                : new Libp2pException($"Dialing {peer} failed on every address: {string.Join("; ", errors.Select(e => e.Message))}", errors[^1]);
        }
        catch (OperationCanceledException ex) when (!_stopping.IsCancellationRequested)
        {
            throw new TimeoutException($"Dialing {peer} did not finish within {_options.DialTimeout.TotalSeconds:0.#} s.", ex);
        }
        finally
        {
            lock (_lock)
            {
                _dials.Remove(peer);
            }
        }
    }

    private async Task<Libp2pConnection> DialAddressAsync(Multiaddr address, PeerId? expectedPeer, CancellationToken cancellationToken)
    {
        if (ConnectionCount() >= _options.MaxConnections)
        {
            throw new Libp2pException($"The host already has {_options.MaxConnections} connections.");
        }

        ITransport transport = _transports.FirstOrDefault(t => t.CanDial(address))
            ?? throw new Libp2pException($"No transport can dial {address}.");
        ITransportConnection raw = await transport.DialAsync(address, cancellationToken);
        Libp2pConnection connection = await _upgrader.UpgradeOutboundAsync(raw, expectedPeer, cancellationToken);
        await AddConnectionAsync(connection);
        return connection;
    }

    private async Task AcceptAsync(ITransportListener listener, CancellationToken cancellationToken)
    {
        while (true)
        {
            ITransportConnection raw = await listener.AcceptAsync(cancellationToken);
            if (ConnectionCount() >= _options.MaxConnections)
            {
                Log.InboundRefused(_logger, raw.RemoteAddress, _options.MaxConnections);
                raw.Abort(new Libp2pException("Connection limit reached."));
                await raw.DisposeAsync();
                continue;
            }

            RunBackground(async () =>
            {
                try
                {
                    Libp2pConnection connection = await _upgrader.UpgradeInboundAsync(raw, cancellationToken);
                    await AddConnectionAsync(connection);
                }
                catch (Exception ex) when (ex is Libp2pException or TimeoutException or IOException or System.Net.Sockets.SocketException)
                {
                    // The upgrader has logged why and closed the connection.
                }
            });
        }
    }

    private int ConnectionCount()
    {
        lock (_lock)
        {
            return _openedAt.Count;
        }
    }

    private async Task AddConnectionAsync(Libp2pConnection connection)
    {
        bool added = false, first = false;
        lock (_lock)
        {
            if (!_stopping.IsCancellationRequested)
            {
                if (!_connections.TryGetValue(connection.RemotePeer, out List<Libp2pConnection>? list))
                {
                    list = [];
                    _connections[connection.RemotePeer] = list;
                }

                first = list.Count == 0;
                list.Add(connection);
                _openedAt[connection] = Stopwatch.GetTimestamp();
                added = true;
            }
        }

        if (!added)
        {
            await connection.DisposeAsync();
            throw new ObjectDisposedException(nameof(Libp2pHost), "The host stopped while the connection was being made.");
        }

        _peerStore.AddAddresses(connection.RemotePeer, [connection.RemoteAddress], _options.DiscoveredAddressTtl);
        _peerStore.SetIdentity(connection.RemotePeer, connection.RemotePublicKey, null, null);
        Log.Connected(_logger, connection.RemotePeer, connection.RemoteAddress, connection.IsInitiator);
        if (first)
        {
            Post(HostEvent.Connected, new PeerEventArgs(connection.RemotePeer, connection));
        }

        connection.Closed.Register(static state =>
        {
            var (host, closed) = ((Libp2pHost, Libp2pConnection))state!;
            host.OnConnectionClosed(closed);
        }, (this, connection));

        if (_options.EnableIdentify)
        {
            RunBackground(() => IdentifyConnectionAsync(connection));
        }
    }

    private void OnConnectionClosed(Libp2pConnection connection)
    {
        bool last = false;
        lock (_lock)
        {
            if (!_openedAt.Remove(connection))
            {
                return;
            }

            if (_connections.TryGetValue(connection.RemotePeer, out List<Libp2pConnection>? list))
            {
                list.Remove(connection);
                if (list.Count == 0)
                {
                    _connections.Remove(connection.RemotePeer);
                    last = true;
                }
            }
        }

        Log.Disconnected(_logger, connection.RemotePeer, connection.RemoteAddress);
        RunBackground(async () => await connection.DisposeAsync());   // releases the socket even when the remote closed
        if (last)
        {
            Post(HostEvent.Disconnected, new PeerEventArgs(connection.RemotePeer, connection));
        }
    }

    private async Task IdentifyConnectionAsync(Libp2pConnection connection)
    {
        try
        {
            await Identify.IdentifyAsync(connection, connection.Closed);
        }
        catch (OperationCanceledException) when (connection.Closed.IsCancellationRequested)
        {
        }
        catch (Exception ex) when (ex is Libp2pException or TimeoutException or IOException)
        {
            Log.IdentifyFailed(_logger, connection.RemotePeer, ex.Message);
        }
    }

    // Above HighWater, the oldest connections past their grace period are closed down to LowWater.
    private async Task TrimPeriodicallyAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(_options.TrimInterval);
        while (await timer.WaitForNextTickAsync(cancellationToken))
        {
            await TrimAsync();
        }
    }

    internal async Task TrimAsync()
    {
        Libp2pConnection[] victims;
        lock (_lock)
        {
            int excess = _openedAt.Count - _options.LowWater;
            if (_openedAt.Count <= _options.HighWater || excess <= 0)
            {
                return;
            }

            long now = Stopwatch.GetTimestamp();
            victims = [.. _openedAt
                .Where(pair => Stopwatch.GetElapsedTime(pair.Value, now) >= _options.GracePeriod)
                .OrderBy(pair => pair.Value)
                .Take(excess)
                .Select(pair => pair.Key)];
        }

        if (victims.Length > 0)
        {
            Log.Trimming(_logger, victims.Length, _options.HighWater);
            await Task.WhenAll(victims.Select(c => c.CloseAsync().AsTask()));
        }
    }

    // A connection with no stream for IdleTimeout is closed; checked four times per timeout (at most every TrimInterval).
    private async Task CloseIdlePeriodicallyAsync(CancellationToken cancellationToken)
    {
        TimeSpan period = TimeSpan.FromTicks(Math.Max(Math.Min(_options.IdleTimeout.Ticks / 4, _options.TrimInterval.Ticks), TimeSpan.FromMilliseconds(10).Ticks));
        using var timer = new PeriodicTimer(period);
        while (await timer.WaitForNextTickAsync(cancellationToken))
        {
            await CloseIdleAsync();
        }
    }

    internal async Task CloseIdleAsync()
    {
        Libp2pConnection[] idle;
        lock (_lock)
        {
            long now = Stopwatch.GetTimestamp();
            idle = [.. _openedAt.Keys.Where(c => c.IsIdle(_options.IdleTimeout, now))];
        }

        foreach (Libp2pConnection connection in idle)
        {
            Log.ClosingIdle(_logger, connection.RemotePeer, connection.RemoteAddress, _options.IdleTimeout);
        }

        if (idle.Length > 0)
        {
            await Task.WhenAll(idle.Select(c => c.CloseAsync().AsTask()));
        }
    }

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Debug, Message = "Closing the connection to {Peer} at {Address}: no stream for {Timeout}")]
        public static partial void ClosingIdle(ILogger logger, PeerId peer, Multiaddr address, TimeSpan timeout);

        [LoggerMessage(Level = LogLevel.Information, Message = "Host {Peer} listening on {Addresses}")]
        public static partial void Started(ILogger logger, PeerId peer, string addresses);

        [LoggerMessage(Level = LogLevel.Debug, Message = "Host {Peer} stopped")]
        public static partial void Stopped(ILogger logger, PeerId peer);

        [LoggerMessage(Level = LogLevel.Debug, Message = "Connected to {Peer} at {Address} (initiator: {IsInitiator})")]
        public static partial void Connected(ILogger logger, PeerId peer, Multiaddr address, bool isInitiator);

        [LoggerMessage(Level = LogLevel.Debug, Message = "Disconnected from {Peer} at {Address}")]
        public static partial void Disconnected(ILogger logger, PeerId peer, Multiaddr address);

        [LoggerMessage(Level = LogLevel.Debug, Message = "Dialing {Peer} at {Address} failed: {Reason}")]
        public static partial void DialAddressFailed(ILogger logger, PeerId peer, Multiaddr address, string reason);

        [LoggerMessage(Level = LogLevel.Information, Message = "Auto-dial of discovered peer {Peer} failed: {Reason}")]
        public static partial void AutoDialFailed(ILogger logger, PeerId peer, string reason);

        [LoggerMessage(Level = LogLevel.Information, Message = "Identify with {Peer} failed: {Reason}")]
        public static partial void IdentifyFailed(ILogger logger, PeerId peer, string reason);

        [LoggerMessage(Level = LogLevel.Debug, Message = "Identify push to {Peer} failed: {Reason}")]
        public static partial void PushFailed(ILogger logger, PeerId peer, string reason);

        [LoggerMessage(Level = LogLevel.Warning, Message = "Refused an inbound connection from {Address}: the limit of {Limit} connections is reached")]
        public static partial void InboundRefused(ILogger logger, Multiaddr address, int limit);

        [LoggerMessage(Level = LogLevel.Information, Message = "Closing {Count} connections: more than {HighWater} are open")]
        public static partial void Trimming(ILogger logger, int count, int highWater);

        [LoggerMessage(Level = LogLevel.Error, Message = "A {Event} event handler threw")]
        public static partial void EventHandlerFailed(ILogger logger, string @event, Exception exception);

        [LoggerMessage(Level = LogLevel.Error, Message = "Background work of the host failed")]
        public static partial void BackgroundFailed(ILogger logger, Exception exception);

        [LoggerMessage(Level = LogLevel.Error, Message = "The host's {Loop} loop failed")]
        public static partial void LoopFailed(ILogger logger, string loop, Exception exception);
    }
}
