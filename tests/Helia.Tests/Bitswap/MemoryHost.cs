using System.Collections.Concurrent;
using System.IO.Pipelines;
using System.Security.Cryptography;
using Helia.Libp2p;
using Helia.Multiformats;

namespace Helia.Tests.Bitswap;

/// <summary>
/// A test double of <see cref="ILibp2pHost"/>: hosts on one <see cref="MemoryNetwork"/> connect through in-memory duplex
/// pipes, negotiate the first protocol the other side handles, and raise connection events like a real host.
/// </summary>
internal sealed class MemoryHost : ILibp2pHost
{
    private readonly MemoryNetwork _network;
    private readonly ConcurrentDictionary<string, StreamHandler> _handlers = new();
    private readonly ConcurrentDictionary<PeerId, MemoryConnection> _connections = new();
    private readonly ConcurrentDictionary<Task, byte> _handlerTasks = new();
    private long _nextStreamId;

    public MemoryHost(MemoryNetwork network)
    {
        _network = network;
        Id = PeerId.FromMultihash(Multihash.Create(Multicodec.Sha2_256, RandomNumberGenerator.GetBytes(32)));
        network.Add(this);
    }

    public PeerId Id { get; }

    public IReadOnlyList<Multiaddr> ListenAddresses => [];

    public IPeerStore PeerStore { get; } = new MemoryPeerStore();

    public IReadOnlyCollection<IConnection> Connections => [.. _connections.Values];

    public event EventHandler<PeerEventArgs>? PeerConnected;

    public event EventHandler<PeerEventArgs>? PeerDisconnected;

    public event EventHandler<PeerEventArgs>? PeerIdentified
    {
        add { }
        remove { }
    }

    public event EventHandler<PeerEventArgs>? PeerDiscovered
    {
        add { }
        remove { }
    }

    /// <summary>How many dials went out from this host (to check that sessions dial providers).</summary>
    public int Dials { get; private set; }

    public ValueTask StartAsync(CancellationToken cancellationToken = default) => ValueTask.CompletedTask;

    public ValueTask<IConnection> DialAsync(PeerId peer, CancellationToken cancellationToken = default)
    {
        Dials++;
        if (_connections.TryGetValue(peer, out MemoryConnection? existing))
        {
            return ValueTask.FromResult<IConnection>(existing);
        }

        MemoryHost remote = _network.Find(peer) ?? throw new Libp2pException($"No route to {peer}.");
        return ValueTask.FromResult<IConnection>(MemoryNetwork.Connect(this, remote));
    }

    public ValueTask<IConnection> DialAsync(Multiaddr address, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException("Memory hosts dial by peer ID.");

    public ValueTask<Multiaddr> ListenAsync(Multiaddr address, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException("Memory hosts have no listeners.");

    public ValueTask<bool> StopListeningAsync(Multiaddr address, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException("Memory hosts have no listeners.");

    public async ValueTask<IStream> NewStreamAsync(PeerId peer, IReadOnlyList<string> protocols, CancellationToken cancellationToken = default)
    {
        IConnection connection = await DialAsync(peer, cancellationToken);
        return await connection.NewStreamAsync(protocols, cancellationToken);
    }

    public IDisposable Handle(string protocolId, StreamHandler handler, StreamHandlerOptions? options = null)
    {
        _handlers[protocolId] = handler;
        return new Unregister(() => _handlers.TryRemove(protocolId, out _));
    }

    public async ValueTask DisposeAsync()
    {
        foreach (MemoryConnection connection in _connections.Values)
        {
            await connection.CloseAsync();
        }

        await Task.WhenAll(_handlerTasks.Keys).WaitAsync(TimeSpan.FromSeconds(10));
    }

    internal void Attach(MemoryConnection connection)
    {
        _connections[connection.RemotePeer] = connection;
        PeerConnected?.Invoke(this, new PeerEventArgs(connection.RemotePeer, connection));
    }

    internal void Detach(MemoryConnection connection)
    {
        if (_connections.TryRemove(new KeyValuePair<PeerId, MemoryConnection>(connection.RemotePeer, connection)))
        {
            PeerDisconnected?.Invoke(this, new PeerEventArgs(connection.RemotePeer, connection));
        }
    }

    internal bool TryGetHandler(IReadOnlyList<string> protocols, out string protocol, out StreamHandler handler)
    {
        foreach (string candidate in protocols)
        {
            if (_handlers.TryGetValue(candidate, out handler!))
            {
                protocol = candidate;
                return true;
            }
        }

        protocol = string.Empty;
        handler = null!;
        return false;
    }

    internal long NextStreamId() => Interlocked.Increment(ref _nextStreamId);

    internal void RunHandler(StreamHandler handler, MemoryTestStream stream, CancellationToken cancellationToken)
    {
        Task task = Task.Run(async () =>
        {
            try
            {
                await handler(stream, cancellationToken);
                await stream.DisposeAsync();
            }
            catch (Exception)
            {
                stream.Reset(StreamErrorCode.ProtocolError);
            }
        }, CancellationToken.None);
        _handlerTasks.TryAdd(task, 0);
        task.ContinueWith(t => _handlerTasks.TryRemove(t, out _), TaskScheduler.Default);
    }

    private sealed class Unregister(Action action) : IDisposable
    {
        public void Dispose() => action();
    }

    private sealed class MemoryPeerStore : IPeerStore
    {
        private readonly ConcurrentDictionary<PeerId, List<Multiaddr>> _addresses = new();

        public IReadOnlyCollection<PeerId> Peers => [.. _addresses.Keys];

        public void AddAddresses(PeerId peer, IEnumerable<Multiaddr> addresses, TimeSpan ttl) =>
            _addresses.AddOrUpdate(peer, _ => [.. addresses], (_, list) => [.. list, .. addresses]);

        public void ReplaceAddresses(PeerId peer, IEnumerable<Multiaddr> addresses, TimeSpan ttl, IEnumerable<Multiaddr>? keep = null)
        {
            List<Multiaddr> fresh = [.. addresses];
            HashSet<Multiaddr> kept = [.. keep ?? []];
            _addresses.AddOrUpdate(peer, _ => fresh, (_, list) => [.. list.Where(kept.Contains).Except(fresh), .. fresh]);
        }

        public IReadOnlyList<Multiaddr> GetAddresses(PeerId peer) => _addresses.TryGetValue(peer, out List<Multiaddr>? list) ? list : [];

        public void SetProtocols(PeerId peer, IEnumerable<string> protocols)
        {
        }

        public void SetIdentity(PeerId peer, ReadOnlyMemory<byte> publicKey, string? agentVersion, Multiaddr? observedAddress)
        {
        }

        public PeerRecord? Get(PeerId peer) => null;
    }
}

internal sealed class MemoryNetwork
{
    private readonly ConcurrentDictionary<PeerId, MemoryHost> _hosts = new();

    public static MemoryConnection Connect(MemoryHost a, MemoryHost b)
    {
        var (ab, ba) = MemoryConnection.CreatePair(a, b);
        a.Attach(ab);
        b.Attach(ba);
        return ab;
    }

    internal void Add(MemoryHost host) => _hosts[host.Id] = host;

    internal MemoryHost? Find(PeerId peer) => _hosts.GetValueOrDefault(peer);
}

internal sealed class MemoryConnection : IConnection
{
    private readonly MemoryHost _local;
    private readonly MemoryHost _remote;
    private readonly CancellationTokenSource _closed;
    private readonly ConcurrentDictionary<MemoryTestStream, byte> _streams = new();
    private MemoryConnection _other = null!;

    private MemoryConnection(MemoryHost local, MemoryHost remote, CancellationTokenSource closed, bool initiator)
    {
        _local = local;
        _remote = remote;
        _closed = closed;
        IsInitiator = initiator;
    }

    public PeerId RemotePeer => _remote.Id;

    public Multiaddr RemoteAddress => Multiaddr.Parse("/memory/" + _remote.Id);

    public Multiaddr LocalAddress => Multiaddr.Parse("/memory/" + _local.Id);

    public bool IsInitiator { get; }

    public CancellationToken Closed => _closed.Token;

    public static (MemoryConnection, MemoryConnection) CreatePair(MemoryHost a, MemoryHost b)
    {
        var closed = new CancellationTokenSource();
        var ab = new MemoryConnection(a, b, closed, initiator: true);
        var ba = new MemoryConnection(b, a, closed, initiator: false);
        ab._other = ba;
        ba._other = ab;
        return (ab, ba);
    }

    public ValueTask<IStream> NewStreamAsync(IReadOnlyList<string> protocols, CancellationToken cancellationToken)
    {
        if (_closed.IsCancellationRequested)
        {
            throw new Libp2pException("The connection is closed.");
        }

        if (!_remote.TryGetHandler(protocols, out string protocol, out StreamHandler handler))
        {
            throw new Libp2pProtocolException(protocols[0], "The peer supports none of the protocols.");
        }

        var outbound = new Pipe();
        var inbound = new Pipe();
        var local = new MemoryTestStream(_local.NextStreamId(), protocol, this, inbound.Reader, outbound.Writer);
        var remote = new MemoryTestStream(_remote.NextStreamId(), protocol, _other, outbound.Reader, inbound.Writer);
        local.Peer = remote;
        remote.Peer = local;
        _streams.TryAdd(local, 0);
        _other._streams.TryAdd(remote, 0);
        _remote.RunHandler(handler, remote, _closed.Token);
        return ValueTask.FromResult<IStream>(local);
    }

    public ValueTask CloseAsync(CancellationToken cancellationToken = default)
    {
        if (!_closed.IsCancellationRequested)
        {
            _closed.Cancel();
            foreach (MemoryTestStream stream in _streams.Keys)
            {
                stream.Reset(StreamErrorCode.ConnectionClosed);
            }

            foreach (MemoryTestStream stream in _other._streams.Keys)
            {
                stream.Reset(StreamErrorCode.ConnectionClosed);
            }

            _local.Detach(this);
            _remote.Detach(_other);
        }

        return ValueTask.CompletedTask;
    }
}

internal sealed class MemoryTestStream(long id, string protocol, IConnection connection, PipeReader input, PipeWriter output) : IStream
{
    public long Id { get; } = id;

    public string Protocol { get; } = protocol;

    public IConnection Connection { get; } = connection;

    public PipeReader Input { get; } = input;

    public PipeWriter Output { get; } = output;

    internal MemoryTestStream? Peer { get; set; }

    public void Reset(StreamErrorCode code = StreamErrorCode.Cancelled)
    {
        var error = new StreamResetException(code, "The stream was reset.");
        Output.Complete(error);
        Input.Complete(error);
        Peer?.Output.Complete(error);
        Peer?.Input.Complete(error);
    }

    public ValueTask DisposeAsync()
    {
        Output.Complete();
        Input.Complete();
        return ValueTask.CompletedTask;
    }
}
