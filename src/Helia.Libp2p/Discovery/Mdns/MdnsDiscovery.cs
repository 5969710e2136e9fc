using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Threading.Channels;
using Helia.Multiformats;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Helia.Libp2p.Discovery.Mdns;

/// <summary>
/// Local peer discovery over multicast DNS (specs: libp2p/discovery/mdns.md), interoperable with js-libp2p's
/// @libp2p/mdns and go-libp2p: one UDP socket on 0.0.0.0:5353 joined to 224.0.0.251 on each chosen interface, and
/// (<see cref="MdnsOptions.EnableIPv6"/>) one on [::]:5353 joined to ff02::fb on each IPv6 multicast interface.
/// It queries at start and every <see cref="MdnsOptions.QueryInterval"/>, announces itself at start, answers queries
/// for the service (at most once per <see cref="MdnsOptions.MinResponseInterval"/>), and raises <see cref="Discovered"/>
/// for every other peer it hears of (once per peer per half interval unless its addresses change).
/// </summary>
public sealed partial class MdnsDiscovery : IAsyncDisposable
{
    public static readonly IPAddress MulticastGroup = IPAddress.Parse("224.0.0.251");
    public static readonly IPAddress MulticastGroupIPv6 = IPAddress.Parse("ff02::fb");

    private readonly PeerId _self;
    private readonly Func<IReadOnlyList<Multiaddr>> _listenAddresses;
    private readonly MdnsOptions _options;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stopped = new();
    private readonly Channel<bool> _responseRequests = Channel.CreateBounded<bool>(
        new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite, SingleReader = true });
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private readonly Dictionary<PeerId, SeenPeer> _seen = [];
    private Socket? _socket;
    private Socket? _socket6;
    private IReadOnlyList<MdnsInterface> _interfaces = [];
    private IReadOnlyList<MdnsInterface> _interfaces6 = [];
    private Task _receiveLoop = Task.CompletedTask;
    private Task _receiveLoop6 = Task.CompletedTask;
    private Task _queryLoop = Task.CompletedTask;
    private Task _responseLoop = Task.CompletedTask;
    private long _windowStart;
    private int _windowPackets;
    private int _started;

    /// <param name="self">Our peer id: announced in every address, and ignored when heard back.</param>
    /// <param name="listenAddresses">Our current listen addresses, read each time we respond.</param>
    /// <param name="options">Settings; null takes the defaults.</param>
    /// <param name="logger">Optional logging.</param>
    public MdnsDiscovery(PeerId self, Func<IReadOnlyList<Multiaddr>> listenAddresses, MdnsOptions? options = null, ILogger<MdnsDiscovery>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(listenAddresses);
        _options = options ?? new MdnsOptions();
        _options.Validate();
        _self = self;
        _listenAddresses = listenAddresses;
        _logger = logger ?? NullLogger<MdnsDiscovery>.Instance;
        InstanceName = (_options.PeerName ?? RandomPeerName()) + "." + _options.ServiceName;
    }

    /// <summary>A peer was heard of. Raised from the receive loop: handlers must not block (post to a Channel).</summary>
    public event EventHandler<PeerInfo>? Discovered;

    /// <summary>Our DNS-SD instance: <c>&lt;peer-name&gt;._p2p._udp.local</c>.</summary>
    public string InstanceName { get; }

    /// <summary>The IPv4 interfaces in use after <see cref="StartAsync"/>; empty when none was usable.</summary>
    public IReadOnlyList<MdnsInterface> Interfaces => _interfaces;

    /// <summary>The IPv6 interfaces in use after <see cref="StartAsync"/> (IPv6 indexes and addresses); empty when none was usable.</summary>
    public IReadOnlyList<MdnsInterface> IPv6Interfaces => _interfaces6;

    /// <summary>Binds the socket, joins the group, queries and announces. Calling it again does nothing.</summary>
    public async ValueTask StartAsync(CancellationToken cancellationToken = default)
    {
        if (Interlocked.Exchange(ref _started, 1) != 0)
        {
            return;
        }

        ObjectDisposedException.ThrowIf(_stopped.IsCancellationRequested, this);
        (List<MdnsInterface> candidates, List<MdnsInterface> candidates6) = _options.EnableIPv6
            ? MdnsInterface.SelectBoth(_options.Interfaces)
            : (MdnsInterface.Select(_options.Interfaces), new List<MdnsInterface>());
        (_socket, _interfaces) = OpenSocket(AddressFamily.InterNetwork, candidates);
        if (candidates6.Count > 0)
        {
            try
            {
                (_socket6, _interfaces6) = OpenSocket(AddressFamily.InterNetworkV6, candidates6);
            }
            catch (SocketException ex)
            {
                Log.IPv6Unavailable(_logger, ex.Message);   // IPv4 goes on alone
            }
        }

        if (_socket is null && _socket6 is null)
        {
            Log.NoInterface(_logger);
            return;
        }
        Log.Started(_logger, InstanceName, string.Join(", ", _interfaces.Select(i => i.Name).Concat(_interfaces6.Select(i => i.Name + " (IPv6)"))));
        CancellationToken stopping = _stopped.Token;
        if (_socket is { } socket4)
        {
            _receiveLoop = RunLoopAsync(ct => ReceiveAsync(socket4, ct), "receive", stopping);
        }

        if (_socket6 is { } socket6)
        {
            _receiveLoop6 = RunLoopAsync(ct => ReceiveAsync(socket6, ct), "IPv6 receive", stopping);
        }

        _responseLoop = RunLoopAsync(RespondAsync, "response", stopping);
        RequestAnnouncement();
        await SendQueryAsync(cancellationToken);
        _queryLoop = RunLoopAsync(QueryPeriodicallyAsync, "query", stopping);
    }

    /// <summary>Asks the network for peers now, besides the periodic queries.</summary>
    public async ValueTask SendQueryAsync(CancellationToken cancellationToken = default) =>
        await SendAsync(MdnsPackets.Query(_options.ServiceName), cancellationToken);

    /// <summary>Announces our addresses soon (for example after they changed); requests in between are merged.</summary>
    public void RequestAnnouncement()
    {
        if (_options.Broadcast)
        {
            _responseRequests.Writer.TryWrite(true);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_stopped.IsCancellationRequested)
        {
            return;
        }

        await _stopped.CancelAsync();
        _responseRequests.Writer.TryComplete();
        _socket?.Dispose();
        _socket6?.Dispose();
        await Task.WhenAll(_receiveLoop, _receiveLoop6, _queryLoop, _responseLoop);
        _stopped.Dispose();
        _sendLock.Dispose();
    }

    private async Task QueryPeriodicallyAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(_options.QueryInterval);
        while (await timer.WaitForNextTickAsync(cancellationToken))
        {
            await SendQueryAsync(cancellationToken);
        }
    }

    private async Task RespondAsync(CancellationToken cancellationToken)
    {
        await foreach (bool _ in _responseRequests.Reader.ReadAllAsync(cancellationToken))
        {
            List<IPAddress> local = [.. _interfaces.SelectMany(i => i.Addresses), .. _interfaces6.SelectMany(i => i.Addresses).Where(a => !a.IsIPv6LinkLocal)];
            List<Multiaddr> addresses = MdnsPackets.ExpandUnspecified(_listenAddresses(), local);
            if (addresses.Count > 0)
            {
                await SendAsync(MdnsPackets.Response(_options.ServiceName, InstanceName, _self, addresses, _options.RecordTtl), cancellationToken);
            }

            if (_options.MinResponseInterval > TimeSpan.Zero)
            {
                await Task.Delay(_options.MinResponseInterval, cancellationToken);   // rate limit, not a poll
            }
        }
    }

    private async ValueTask SendAsync(DnsMessage message, CancellationToken cancellationToken)
    {
        if (_socket is null && _socket6 is null)
        {
            return;
        }

        byte[] packet = message.ToArray();
        await _sendLock.WaitAsync(cancellationToken);
        try
        {
            if (_socket is { } socket)
            {
                var group = new IPEndPoint(MulticastGroup, _options.Port);
                foreach (MdnsInterface target in _interfaces)
                {
                    await SendOnAsync(socket, target, SocketOptionLevel.IP, target.Addresses[0].GetAddressBytes(), packet, group, cancellationToken);
                }
            }

            if (_socket6 is { } socket6)
            {
                foreach (MdnsInterface target in _interfaces6)
                {
                    var group = new IPEndPoint(new IPAddress(MulticastGroupIPv6.GetAddressBytes(), target.Index), _options.Port);
                    await SendOnAsync(socket6, target, SocketOptionLevel.IPv6, target.Index, packet, group, cancellationToken);
                }
            }
        }
        finally
        {
            _sendLock.Release();
        }
    }

    // IPv4 names the outgoing interface by its address, IPv6 by its index.
    private async ValueTask SendOnAsync(
        Socket socket, MdnsInterface target, SocketOptionLevel level, object outgoing, byte[] packet, IPEndPoint group, CancellationToken cancellationToken)
    {
        try
        {
            if (outgoing is int index)
            {
                socket.SetSocketOption(level, SocketOptionName.MulticastInterface, index);
            }
            else
            {
                socket.SetSocketOption(level, SocketOptionName.MulticastInterface, (byte[])outgoing);
            }

            await socket.SendToAsync(packet, SocketFlags.None, group, cancellationToken);
        }
        catch (SocketException ex)
        {
            Log.SendFailed(_logger, target.Name, ex.Message);
        }
    }

    // A socket on the mDNS port joined to the group on every candidate interface that accepts it; null when none does.
    private (Socket? Socket, IReadOnlyList<MdnsInterface> Joined) OpenSocket(AddressFamily family, List<MdnsInterface> candidates)
    {
        if (candidates.Count == 0)
        {
            return (null, []);
        }

        bool v6 = family == AddressFamily.InterNetworkV6;
        SocketOptionLevel level = v6 ? SocketOptionLevel.IPv6 : SocketOptionLevel.IP;
        var socket = new Socket(family, SocketType.Dgram, ProtocolType.Udp);
        try
        {
            socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
            if (v6)
            {
                socket.DualMode = false;   // IPv4 has its own socket on the same port
            }

            socket.Bind(new IPEndPoint(v6 ? IPAddress.IPv6Any : IPAddress.Any, _options.Port));
            socket.SetSocketOption(level, SocketOptionName.MulticastTimeToLive, 255);
            socket.SetSocketOption(level, SocketOptionName.MulticastLoopback, true);
            var joined = new List<MdnsInterface>();
            foreach (MdnsInterface candidate in candidates)
            {
                try
                {
                    if (v6)
                    {
                        socket.SetSocketOption(level, SocketOptionName.AddMembership, new IPv6MulticastOption(MulticastGroupIPv6, candidate.Index));
                    }
                    else
                    {
                        socket.SetSocketOption(level, SocketOptionName.AddMembership, new MulticastOption(MulticastGroup, candidate.Index));
                    }

                    joined.Add(candidate);
                }
                catch (SocketException ex)
                {
                    Log.JoinFailed(_logger, candidate.Name, ex.Message);
                }
            }

            if (joined.Count == 0)
            {
                socket.Dispose();
                return (null, []);
            }

            return (socket, joined);
        }
        catch
        {
            socket.Dispose();
            throw;
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

    private static string RandomPeerName()
    {
        const string alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
        return RandomNumberGenerator.GetString(alphabet, 32);
    }

    // At most MaxPacketsPerSecond packets are parsed in each one-second window; the first drop in a window is logged.
    private bool TryTakePacketSlot()
    {
        long now = Stopwatch.GetTimestamp();
        if (Stopwatch.GetElapsedTime(_windowStart, now) >= TimeSpan.FromSeconds(1))
        {
            _windowStart = now;
            _windowPackets = 0;
        }

        _windowPackets++;
        if (_windowPackets == _options.MaxPacketsPerSecond + 1)
        {
            Log.FloodDropping(_logger, _options.MaxPacketsPerSecond);
        }

        return _windowPackets <= _options.MaxPacketsPerSecond;
    }

    private readonly record struct SeenPeer(long Timestamp, int AddressHash);
}
