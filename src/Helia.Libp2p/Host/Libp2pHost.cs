using System.Collections.Concurrent;
using System.Threading.Channels;
using Helia.Libp2p.Discovery.Mdns;
using Helia.Libp2p.Protocols.Identify;
using Helia.Libp2p.Protocols.Ping;
using Helia.Multiformats;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Helia.Libp2p.Host;

/// <summary>
/// The libp2p host: it owns the listeners, the connections (upgraded by <see cref="ConnectionUpgrader"/>), the peer
/// store, the protocol handlers, identify, ping and mDNS discovery. Dials reuse an open connection and concurrent
/// dials to one peer share one attempt. Events are raised from one owned loop, so a slow handler delays other
/// handlers but never the network. <see cref="DisposeAsync"/> stops accepting, closes every connection and waits for
/// every loop it started.
/// </summary>
public sealed partial class Libp2pHost : ILibp2pHost
{
    private readonly IReadOnlyList<ITransport> _transports;
    private readonly ConnectionUpgrader _upgrader;
    private readonly ProtocolRegistry _protocols;
    private readonly Libp2pHostOptions _options;
    private readonly ILoggerFactory _loggerFactory;
    private readonly ILogger _logger;
    private readonly PeerStore _peerStore = new();
    private readonly CancellationTokenSource _stopping = new();
    private readonly Lock _lock = new();
    private readonly Dictionary<PeerId, List<Libp2pConnection>> _connections = [];
    private readonly Dictionary<Libp2pConnection, long> _openedAt = [];
    private readonly Dictionary<PeerId, Task<Libp2pConnection>> _dials = [];
    private readonly List<Listener> _listeners = [];
    private readonly List<Task> _loops = [];
    private readonly ConcurrentDictionary<Task, bool> _background = new();
    private readonly Channel<(HostEvent Kind, PeerEventArgs Args)> _events =
        Channel.CreateUnbounded<(HostEvent, PeerEventArgs)>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Channel<PeerId> _autoDials =
        Channel.CreateBounded<PeerId>(new BoundedChannelOptions(256) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });
    private readonly Channel<bool> _pushRequests =
        Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite, SingleReader = true });
    private readonly List<IDisposable> _registrations = [];
    private readonly List<IDisposable> _owned = [];
    private IReadOnlyList<Multiaddr> _listenAddresses = [];
    private MdnsDiscovery? _mdns;
    private int _started;
    private int _disposed;

    /// <param name="id">Our peer id.</param>
    /// <param name="publicKey">Our public key in the libp2p PublicKey protobuf encoding (sent by identify).</param>
    /// <param name="transports">The transports to listen and dial on.</param>
    /// <param name="upgrader">Secures and multiplexes raw connections; its registry holds our protocol handlers.</param>
    /// <param name="options">Settings; null takes the defaults.</param>
    /// <param name="loggerFactory">Optional logging.</param>
    public Libp2pHost(
        PeerId id,
        ReadOnlyMemory<byte> publicKey,
        IReadOnlyList<ITransport> transports,
        ConnectionUpgrader upgrader,
        Libp2pHostOptions? options = null,
        ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(transports);
        ArgumentNullException.ThrowIfNull(upgrader);
        _options = options ?? new Libp2pHostOptions();
        _options.Validate();
        Id = id;
        _transports = transports;
        _upgrader = upgrader;
        _protocols = upgrader.Protocols;
        _loggerFactory = loggerFactory ?? NullLoggerFactory.Instance;
        _logger = _loggerFactory.CreateLogger<Libp2pHost>();
        Identify = new IdentifyService(this, publicKey, () => _protocols.Protocols, AdvertisedAddresses, _options.Identify, _loggerFactory.CreateLogger<IdentifyService>());
        Ping = new PingService(this, _loggerFactory.CreateLogger<PingService>());
        Identify.Identified += (_, args) => Post(HostEvent.Identified, args);
    }

    public PeerId Id { get; }

    /// <summary>The addresses the listeners are bound to, ports filled in (0.0.0.0 stays as bound).</summary>
    public IReadOnlyList<Multiaddr> ListenAddresses => _listenAddresses;

    /// <summary>The peer store (the concrete type, which also exposes address expiry times for persistence).</summary>
    public PeerStore PeerStore => _peerStore;

    IPeerStore ILibp2pHost.PeerStore => _peerStore;

    public IReadOnlyCollection<IConnection> Connections
    {
        get
        {
            lock (_lock)
            {
                return [.. _connections.Values.SelectMany(list => list)];
            }
        }
    }

    /// <summary>The protocols we handle (what identify announces).</summary>
    public IReadOnlyCollection<string> Protocols => _protocols.Protocols;

    public IdentifyService Identify { get; }

    public PingService Ping { get; }

    /// <summary>The mDNS service once started with <see cref="Libp2pHostOptions.EnableMdns"/>.</summary>
    public MdnsDiscovery? Mdns => _mdns;

    public event EventHandler<PeerEventArgs>? PeerConnected;

    public event EventHandler<PeerEventArgs>? PeerDisconnected;

    public event EventHandler<PeerEventArgs>? PeerIdentified;

    public event EventHandler<PeerEventArgs>? PeerDiscovered;

    private enum HostEvent
    {
        Connected,
        Disconnected,
        Identified,
        Discovered,
    }

    /// <summary>Registers identify and ping, listens on every configured address, starts the loops and mDNS.</summary>
    public async ValueTask StartAsync(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        if (Interlocked.Exchange(ref _started, 1) != 0)
        {
            return;
        }

        if (_options.EnableIdentify)
        {
            _registrations.Add(Identify.Register());
            _protocols.Changed += OnProtocolsChanged;
        }

        if (_options.EnablePing)
        {
            _registrations.Add(Ping.Register());
        }

        CancellationToken stopping = _stopping.Token;
        foreach (Multiaddr address in _options.ListenAddresses)
        {
            await AddListenerAsync(address, cancellationToken);
        }

        _loops.Add(RunLoopAsync(RaiseEventsAsync, "event", stopping));
        _loops.Add(RunLoopAsync(AutoDialAsync, "auto-dial", stopping));
        _loops.Add(RunLoopAsync(PushIdentifyAsync, "identify push", stopping));
        _loops.Add(RunLoopAsync(TrimPeriodicallyAsync, "trim", stopping));
        if (_options.IdleTimeout != Timeout.InfiniteTimeSpan)
        {
            _loops.Add(RunLoopAsync(CloseIdlePeriodicallyAsync, "idle", stopping));
        }

        Log.Started(_logger, Id, string.Join(", ", _listenAddresses));

        if (_options.EnableMdns)
        {
            _mdns = new MdnsDiscovery(Id, AdvertisedAddresses, _options.Mdns, _loggerFactory.CreateLogger<MdnsDiscovery>());
            _mdns.Discovered += OnMdnsDiscovered;
            await _mdns.StartAsync(cancellationToken);
        }
    }

    public IDisposable Handle(string protocolId, StreamHandler handler, StreamHandlerOptions? options = null) =>
        _protocols.Add(protocolId, handler, options);

    public async ValueTask<IStream> NewStreamAsync(PeerId peer, IReadOnlyList<string> protocols, CancellationToken cancellationToken = default)
    {
        IConnection connection = await DialAsync(peer, cancellationToken);
        return await connection.NewStreamAsync(protocols, cancellationToken);
    }

    /// <summary>Stops accepting, stops mDNS, closes every connection, and waits for all of it.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _stopping.CancelAsync();
        _protocols.Changed -= OnProtocolsChanged;
        Listener[] listeners;
        lock (_lock)
        {
            listeners = [.. _listeners];
            _listeners.Clear();
        }

        foreach (Listener listener in listeners)
        {
            await listener.StopAsync();
        }

        if (_mdns is not null)
        {
            await _mdns.DisposeAsync();
        }

        Libp2pConnection[] open;
        lock (_lock)
        {
            open = [.. _connections.Values.SelectMany(list => list)];
        }

        await Task.WhenAll(open.Select(c => c.DisposeAsync().AsTask()));
        _events.Writer.TryComplete();
        _autoDials.Writer.TryComplete();
        _pushRequests.Writer.TryComplete();
        await Task.WhenAll(_loops);
        await Task.WhenAll(_background.Keys);
        foreach (IDisposable registration in _registrations)
        {
            registration.Dispose();
        }

        foreach (IDisposable owned in _owned)
        {
            owned.Dispose();
        }

        _stopping.Dispose();
        Log.Stopped(_logger, Id);
    }

    /// <summary>Our addresses as others can use them: an unspecified listen IP becomes each interface's address.</summary>
    internal IReadOnlyList<Multiaddr> AdvertisedAddresses()
    {
        IReadOnlyList<Multiaddr> bound = _listenAddresses;
        if (!bound.Any(IsUnspecified))
        {
            return bound;
        }

        var local = new List<System.Net.IPAddress>();
        foreach (System.Net.NetworkInformation.NetworkInterface candidate in System.Net.NetworkInformation.NetworkInterface.GetAllNetworkInterfaces())
        {
            if (candidate.OperationalStatus is System.Net.NetworkInformation.OperationalStatus.Up or System.Net.NetworkInformation.OperationalStatus.Unknown)
            {
                local.AddRange(candidate.GetIPProperties().UnicastAddresses.Select(u => u.Address).Where(a => !a.IsIPv6LinkLocal));
            }
        }

        return MdnsPackets.ExpandUnspecified(bound, local);
    }

    private static bool IsUnspecified(Multiaddr address) =>
        address.TryGetTcpEndPoint(out System.Net.IPEndPoint? endPoint)
        && (endPoint.Address.Equals(System.Net.IPAddress.Any) || endPoint.Address.Equals(System.Net.IPAddress.IPv6Any));

    private void OnMdnsDiscovered(object? sender, PeerInfo peer)
    {
        _peerStore.AddAddresses(peer.Id, peer.Addresses, _options.DiscoveredAddressTtl);
        Post(HostEvent.Discovered, new PeerEventArgs(peer.Id, addresses: peer.Addresses));
        if (_options.MdnsAutoDial && !IsConnected(peer.Id))
        {
            _autoDials.Writer.TryWrite(peer.Id);
        }
    }

    private void OnProtocolsChanged(object? sender, EventArgs e) => _pushRequests.Writer.TryWrite(true);

    private void Post(HostEvent kind, PeerEventArgs args) => _events.Writer.TryWrite((kind, args));

    private async Task RaiseEventsAsync(CancellationToken cancellationToken)
    {
        // Drains until DisposeAsync completes the channel, so the last Disconnected events are still raised.
        await foreach ((HostEvent kind, PeerEventArgs args) in _events.Reader.ReadAllAsync(CancellationToken.None))
        {
            EventHandler<PeerEventArgs>? handler = kind switch
            {
                HostEvent.Connected => PeerConnected,
                HostEvent.Disconnected => PeerDisconnected,
                HostEvent.Identified => PeerIdentified,
                _ => PeerDiscovered,
            };
            try
            {
                handler?.Invoke(this, args);
            }
            catch (Exception ex)
            {
                Log.EventHandlerFailed(_logger, kind.ToString(), ex);
            }
        }
    }

    private async Task AutoDialAsync(CancellationToken cancellationToken)
    {
        await foreach (PeerId peer in _autoDials.Reader.ReadAllAsync(cancellationToken))
        {
            if (!IsConnected(peer))
            {
                RunBackground(() => AutoDialPeerAsync(peer, cancellationToken));
            }
        }
    }

    private async Task AutoDialPeerAsync(PeerId peer, CancellationToken cancellationToken)
    {
        try
        {
            await DialAsync(peer, cancellationToken);
        }
        catch (Exception ex) when (ex is Libp2pException or TimeoutException or System.Net.Sockets.SocketException or IOException)
        {
            Log.AutoDialFailed(_logger, peer, ex.Message);
        }
    }

    private async Task PushIdentifyAsync(CancellationToken cancellationToken)
    {
        await foreach (bool _ in _pushRequests.Reader.ReadAllAsync(cancellationToken))
        {
            foreach (IConnection connection in Connections)
            {
                if (_peerStore.Get(connection.RemotePeer)?.Protocols.Contains(IdentifyService.PushProtocolId) == true)
                {
                    RunBackground(async () =>
                    {
                        try
                        {
                            await Identify.PushAsync(connection, cancellationToken);
                        }
                        catch (Exception ex) when (ex is Libp2pException or TimeoutException or IOException)
                        {
                            Log.PushFailed(_logger, connection.RemotePeer, ex.Message);
                        }
                    });
                }
            }
        }
    }

    /// <summary>The one way to start work nobody awaits at once: it is kept until it ends, its faults are logged, and DisposeAsync waits for it.</summary>
    private void RunBackground(Func<Task> work)
    {
        Task task = RunGuardedAsync(work);
        _background.TryAdd(task, true);
        task.ContinueWith(static (t, state) => ((ConcurrentDictionary<Task, bool>)state!).TryRemove(t, out _), _background, TaskScheduler.Default);
    }

    private async Task RunGuardedAsync(Func<Task> work)
    {
        await Task.Yield();
        try
        {
            await work();
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
        }
        catch (Exception ex)
        {
            Log.BackgroundFailed(_logger, ex);
        }
    }

    private async Task RunLoopAsync(Func<CancellationToken, Task> loop, string name, CancellationToken cancellationToken)
    {
        try
        {
            await loop(cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        catch (ObjectDisposedException) when (cancellationToken.IsCancellationRequested)
        {
        }
        catch (Exception ex)
        {
            Log.LoopFailed(_logger, name, ex);
        }
    }
}
