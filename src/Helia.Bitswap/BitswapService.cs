using System.Threading.Channels;
using Helia.Bitswap.Client;
using Helia.Bitswap.Engine;
using Helia.Bitswap.Messages;
using Helia.Bitswap.Sessions;
using Helia.Core.Blocks;
using Helia.Core.Routing;
using Helia.Libp2p;
using Helia.Multiformats;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Helia.Bitswap;

/// <summary>
/// Bitswap on a libp2p host: the protocol handlers for /ipfs/bitswap/1.2.0, 1.1.0, 1.0.0 and /ipfs/bitswap, one
/// <see cref="PeerSender"/> per peer, the server (<see cref="DecisionEngine"/>) and the client (<see cref="BitswapClient"/>).
/// Host connection events are posted to a channel that an owned loop drains: new peers get our wantlist, gone peers
/// are forgotten. Inbound messages go to the engine (wants) and the client (blocks, presences).
/// </summary>
public sealed partial class BitswapService : IAsyncDisposable
{
    public const string ProtocolId120 = "/ipfs/bitswap/1.2.0";
    public const string ProtocolId110 = "/ipfs/bitswap/1.1.0";
    public const string ProtocolId100 = "/ipfs/bitswap/1.0.0";
    public const string ProtocolIdLegacy = "/ipfs/bitswap";

    /// <summary>Every protocol we speak, best first (what we propose when opening a stream).</summary>
    public static readonly IReadOnlyList<string> Protocols = [ProtocolId120, ProtocolId110, ProtocolId100, ProtocolIdLegacy];

    private readonly ILibp2pHost _host;
    private readonly IContentRouter? _router;
    private readonly BitswapOptions _options;
    private readonly ILogger _logger;
    private readonly BitswapMetrics _metrics;
    private readonly DecisionEngine _engine;
    private readonly BitswapClient _client;
    private readonly BackgroundTasks _background;
    private readonly Network _network;
    private readonly Lock _lock = new();
    private readonly Dictionary<PeerId, PeerSender> _senders = [];
    private readonly Channel<PeerEvent> _events = Channel.CreateUnbounded<PeerEvent>(new UnboundedChannelOptions { SingleReader = true });
    private readonly CancellationTokenSource _stopping = new();
    private readonly List<IDisposable> _registrations = [];
    private Task _eventLoop = Task.CompletedTask;
    private bool _started;

    public BitswapService(ILibp2pHost host, IBlockstore blockstore, BitswapOptions? options = null, IContentRouter? router = null, ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(host);
        ArgumentNullException.ThrowIfNull(blockstore);
        options ??= new BitswapOptions();
        options.Validate();
        _host = host;
        _router = router;
        _options = options;
        loggerFactory ??= NullLoggerFactory.Instance;
        _logger = loggerFactory.CreateLogger<BitswapService>();
        _network = new Network(this);
        _background = new BackgroundTasks(_logger);
        _metrics = new BitswapMetrics(() => _client!.WantlistSize, () => _client!.PeerCount);
        _client = new BitswapClient(_network, options, _metrics, loggerFactory.CreateLogger<BitswapClient>());
        _engine = new DecisionEngine(blockstore, _network, options, _metrics, loggerFactory.CreateLogger<DecisionEngine>());
    }

    public BitswapClient Client => _client;

    /// <summary>Raised after each inbound message was handled (for tests and diagnostics); must not block.</summary>
    internal event Action<PeerId, BitswapMessage>? MessageReceived;

    public PeerId LocalPeer => _host.Id;

    /// <summary>Registers the protocol handlers, follows connection events and starts the server's workers.</summary>
    public void Start()
    {
        lock (_lock)
        {
            if (_started)
            {
                return;
            }

            _started = true;
        }

        var streams = new StreamHandlerOptions { MaxInboundStreams = _options.MaxInboundStreamsPerPeer };
        foreach (string protocol in Protocols)
        {
            _registrations.Add(_host.Handle(protocol, HandleStreamAsync, streams));
        }

        _host.PeerConnected += OnPeerConnected;
        _host.PeerDisconnected += OnPeerDisconnected;
        _engine.Start();
        _eventLoop = RunEventLoopAsync(_stopping.Token);
        foreach (IConnection connection in _host.Connections)
        {
            _events.Writer.TryWrite(new PeerEvent(connection.RemotePeer, Connected: true));
        }
    }

    /// <summary>Fetches a block from connected peers (want-block to all of them); the bytes are verified against <paramref name="cid"/>.</summary>
    public Task<ReadOnlyMemory<byte>> WantAsync(Cid cid, CancellationToken cancellationToken = default) => _client.WantAsync(cid, cancellationToken);

    /// <summary>A session for one DAG: want-have first, then want-block to the peers that have it.</summary>
    internal BitswapSession CreateSession(int maxProviders = SessionOptions.DefaultMaxProviders) =>
        new(_client, _network, _router, _background, _options, maxProviders, _logger);

    /// <summary>We have a new block: send it to the peers that want it.</summary>
    public void NotifyNewBlock(Cid cid) => _engine.NotifyNewBlock(cid);

    public BitswapStat GetStat() => new(
        _client.GetWantlist(),
        _client.GetPeers(),
        _metrics.BlocksReceived,
        _metrics.DataReceived,
        _metrics.DuplicateBlocksReceived,
        _metrics.DuplicateDataReceived,
        _metrics.BlocksSent,
        _metrics.DataSent,
        _metrics.MessagesReceived,
        _metrics.UnwantedBlocksReceived);

    public IReadOnlyList<LedgerStat> GetLedgers() => _engine.GetLedgers();

    public LedgerStat? GetLedger(PeerId peer) => _engine.GetLedger(peer);

    /// <summary>What a peer wants from us.</summary>
    public IReadOnlyList<Cid> GetWantlist(PeerId peer) => _engine.GetWantlist(peer);

    public async ValueTask DisposeAsync()
    {
        _host.PeerConnected -= OnPeerConnected;
        _host.PeerDisconnected -= OnPeerDisconnected;
        foreach (IDisposable registration in _registrations)
        {
            registration.Dispose();
        }

        _events.Writer.TryComplete();
        await _stopping.CancelAsync();
        try
        {
            await _eventLoop;
        }
        catch (OperationCanceledException)
        {
        }

        await _engine.DisposeAsync();
        await _background.DisposeAsync();
        PeerSender[] senders;
        lock (_lock)
        {
            senders = [.. _senders.Values];
            _senders.Clear();
        }

        foreach (PeerSender sender in senders)
        {
            await sender.DisposeAsync();
        }

        _metrics.Dispose();
        _stopping.Dispose();
    }

    internal static BitswapProtocolVersion VersionOf(string protocol) => protocol switch
    {
        ProtocolId120 => BitswapProtocolVersion.V120,
        ProtocolId110 => BitswapProtocolVersion.V110,
        _ => BitswapProtocolVersion.V100,
    };

    private void OnPeerConnected(object? sender, PeerEventArgs e) => _events.Writer.TryWrite(new PeerEvent(e.Peer, Connected: true));

    private void OnPeerDisconnected(object? sender, PeerEventArgs e) => _events.Writer.TryWrite(new PeerEvent(e.Peer, Connected: false));

    private async Task RunEventLoopAsync(CancellationToken cancellationToken)
    {
        await foreach (PeerEvent e in _events.Reader.ReadAllAsync(cancellationToken))
        {
            if (e.Connected)
            {
                _client.PeerConnected(e.Peer);
                continue;
            }

            if (IsStillConnected(e.Peer))
            {
                continue;   // another connection to the same peer remains
            }

            _client.PeerDisconnected(e.Peer);
            _engine.RemovePeer(e.Peer);
            PeerSender? gone;
            lock (_lock)
            {
                _senders.Remove(e.Peer, out gone);
            }

            if (gone is not null)
            {
                await gone.DisposeAsync();
            }
        }
    }

    private bool IsStillConnected(PeerId peer)
    {
        foreach (IConnection connection in _host.Connections)
        {
            if (connection.RemotePeer == peer && !connection.Closed.IsCancellationRequested)
            {
                return true;
            }
        }

        return false;
    }

    private async Task HandleStreamAsync(IStream stream, CancellationToken cancellationToken)
    {
        PeerId peer = stream.Connection.RemotePeer;
        BitswapProtocolVersion version = VersionOf(stream.Protocol);
        _client.PeerConnected(peer);
        try
        {
            while (await BitswapMessageCodec.ReadAsync(stream.Input, _options.MaxMessageSize, cancellationToken) is { } message)
            {
                _metrics.MessageReceived();
                _engine.ReceiveMessage(peer, version, message);
                _client.ReceiveMessage(peer, message);
                MessageReceived?.Invoke(peer, message);
            }
        }
        catch (BitswapProtocolException ex)
        {
            Log.ProtocolViolation(_logger, peer, ex);
            _network.Disconnect(peer, ex.Message);
            throw;
        }
    }

    private PeerSender GetSender(PeerId peer)
    {
        lock (_lock)
        {
            if (!_senders.TryGetValue(peer, out PeerSender? sender))
            {
                sender = new PeerSender(peer, OpenStreamAsync, _options.MaxMessageSize, _logger);
                _senders.Add(peer, sender);
            }

            return sender;
        }
    }

    /// <summary>Opens our sending stream on a live connection; Bitswap never dials a peer just to answer it.</summary>
    private async ValueTask<IStream> OpenStreamAsync(PeerId peer, CancellationToken cancellationToken)
    {
        foreach (IConnection connection in _host.Connections)
        {
            if (connection.RemotePeer == peer && !connection.Closed.IsCancellationRequested)
            {
                return await connection.NewStreamAsync(Protocols, cancellationToken);
            }
        }

        throw new BitswapException($"Not connected to {peer}.");
    }

    private async Task DisconnectAsync(PeerId peer)
    {
        foreach (IConnection connection in _host.Connections)
        {
            if (connection.RemotePeer == peer)
            {
                await connection.CloseAsync(CancellationToken.None);
            }
        }
    }

    private readonly record struct PeerEvent(PeerId Peer, bool Connected);

    /// <summary>The narrow face the engine, client and sessions see.</summary>
    private sealed class Network(BitswapService service) : IBitswapNetwork
    {
        public void SendWants(PeerId peer, IReadOnlyList<WantlistEntry> entries) => service.GetSender(peer).SendWants(entries);

        public void Send(PeerId peer, BitswapMessage message, Action<Exception?>? onFlushed) => service.GetSender(peer).Send(message, onFlushed);

        public void Disconnect(PeerId peer, string reason)
        {
            Log.CuttingOff(service._logger, peer, reason);
            service._engine.RemovePeer(peer);
            service._background.Run(service.DisconnectAsync(peer), "disconnect");
        }

        public async Task ConnectAsync(PeerInfo peer, CancellationToken cancellationToken)
        {
            if (peer.Addresses.Count > 0)
            {
                service._host.PeerStore.AddAddresses(peer.Id, peer.Addresses, TimeSpan.FromHours(1));
            }

            await service._host.DialAsync(peer.Id, cancellationToken);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Information, Message = "Peer {Peer} broke the Bitswap protocol")]
        public static partial void ProtocolViolation(ILogger logger, PeerId peer, Exception exception);

        [LoggerMessage(Level = LogLevel.Information, Message = "Cutting off {Peer}: {Reason}")]
        public static partial void CuttingOff(ILogger logger, PeerId peer, string reason);
    }
}
