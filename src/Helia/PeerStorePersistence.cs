using System.Collections.Concurrent;
using System.Threading.Channels;
using Helia.Core.Datastore;
using Helia.Libp2p;
using Helia.Libp2p.Host;
using Helia.Multiformats;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Helia;

/// <summary>
/// Keeps the host's peer store in the node's datastore, one <see cref="PersistedPeer"/> record per peer under
/// <c>/peers/&lt;peer id&gt;</c>, so a restarted node can dial a peer by its id alone. <see cref="LoadAsync"/> reads
/// the records back when the node is built (skipping, with a log line, any record that is oversized or malformed,
/// and any address whose time has passed). Each time the host identifies a peer, its id is queued and one owned loop
/// writes the record: the event handler only posts to a bounded channel (a peer already queued is not queued again,
/// and the oldest entry is dropped if the queue is full), so the host's event loop is never blocked by the datastore,
/// and a failed write is logged, never thrown. <see cref="DisposeAsync"/> writes what is still queued.
/// </summary>
public sealed partial class PeerStorePersistence : IAsyncDisposable
{
    public const int QueueCapacity = 1024;
    public static readonly TimeSpan DefaultDrainTimeout = TimeSpan.FromSeconds(5);

    /// <summary>Where the records live: <c>/peers/&lt;peer id&gt;</c>.</summary>
    public static DatastoreKey Prefix { get; } = new("/peers");

    private readonly ILibp2pHost _host;
    private readonly PeerStore _store;
    private readonly IDatastore _datastore;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<PeerId, bool> _queued = new();
    private readonly Channel<PeerId> _queue;
    private readonly CancellationTokenSource _stopping = new();
    private Task? _loop;
    private int _disposed;

    public PeerStorePersistence(ILibp2pHost host, PeerStore store, IDatastore datastore, ILogger<PeerStorePersistence>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(host);
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(datastore);
        _host = host;
        _store = store;
        _datastore = datastore;
        _logger = logger ?? NullLogger<PeerStorePersistence>.Instance;
        _queue = Channel.CreateBounded<PeerId>(
            new BoundedChannelOptions(QueueCapacity) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true },
            dropped => _queued.TryRemove(dropped, out _));
    }

    /// <summary>How long <see cref="DisposeAsync"/> waits for the queued records to be written before giving up on them.</summary>
    internal TimeSpan DrainTimeout { get; init; } = DefaultDrainTimeout;

    /// <summary>The datastore key of <paramref name="peer"/>'s record.</summary>
    public static DatastoreKey KeyOf(PeerId peer) => Prefix.Child(peer.ToString());

    /// <summary>
    /// Puts every stored record into the peer store (at most <see cref="PeerStore.DefaultMaxPeers"/>). Records that
    /// cannot be used are skipped and logged; a datastore that cannot be read is logged and leaves the store as it is.
    /// </summary>
    public async Task<PeerStoreLoadResult> LoadAsync(CancellationToken cancellationToken = default)
    {
        int loaded = 0, skipped = 0;
        try
        {
            await foreach (KeyValuePair<DatastoreKey, ReadOnlyMemory<byte>> entry in _datastore.QueryAsync(Prefix, cancellationToken))
            {
                if (loaded >= PeerStore.DefaultMaxPeers)
                {
                    Log.TooManyRecords(_logger, PeerStore.DefaultMaxPeers);
                    break;
                }

                if (TryApply(entry.Key, entry.Value.Span))
                {
                    loaded++;
                }
                else
                {
                    skipped++;
                }
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Log.LoadFailed(_logger, ex);
        }

        Log.Loaded(_logger, loaded, skipped);
        return new PeerStoreLoadResult(loaded, skipped);
    }

    /// <summary>Starts saving: every peer the host identifies from now on is written.</summary>
    public void Start()
    {
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        if (_loop is not null)
        {
            return;
        }

        _loop = SaveQueuedAsync();
        _host.PeerIdentified += OnPeerIdentified;
    }

    /// <summary>Queues <paramref name="peer"/>'s record to be written (never blocks; a peer already queued is written once).</summary>
    public void Enqueue(PeerId peer)
    {
        if (_queued.TryAdd(peer, true) && !_queue.Writer.TryWrite(peer))
        {
            _queued.TryRemove(peer, out _);   // completed: we are stopping
        }
    }

    /// <summary>Stops listening, then writes what is still queued (for at most <see cref="DefaultDrainTimeout"/>).</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _host.PeerIdentified -= OnPeerIdentified;
        _queue.Writer.TryComplete();
        _stopping.CancelAfter(DrainTimeout);
        if (_loop is not null)
        {
            await _loop;
        }

        _stopping.Dispose();
    }

    private void OnPeerIdentified(object? sender, PeerEventArgs e) => Enqueue(e.Peer);

    private bool TryApply(DatastoreKey key, ReadOnlySpan<byte> value)
    {
        try
        {
            PeerId peer = PeerId.Parse(key.Name);
            PersistedPeer record = PersistedPeer.Decode(peer, value);
            foreach (KeyValuePair<Multiaddr, DateTimeOffset> address in record.Addresses)
            {
                _store.AddAddressesUntil(peer, [address.Key], address.Value);   // an expired address is not added
            }

            if (record.Protocols.Count > 0)
            {
                _store.SetProtocols(peer, record.Protocols);
            }

            _store.SetIdentity(peer, record.PublicKey, record.AgentVersion, record.ObservedAddress);
            return true;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Whatever one record does wrong (a bad key, a value the peer store refuses), the others still load.
            Log.Skipped(_logger, key.Value, ex.Message);
            return false;
        }
    }

    private async Task SaveQueuedAsync()
    {
        await Task.Yield();   // the loop never runs on the caller's (the builder's) stack
        await foreach (PeerId peer in _queue.Reader.ReadAllAsync(CancellationToken.None))
        {
            _queued.TryRemove(peer, out _);   // a change from here on queues the peer again
            try
            {
                await SaveAsync(peer, _stopping.Token);
            }
            catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
            {
                Log.DrainTimedOut(_logger, _queue.Reader.Count + 1, DrainTimeout);
                return;   // the rest would be cancelled too: one line for all of them
            }
            catch (Exception ex)
            {
                Log.SaveFailed(_logger, peer, ex);
            }
        }
    }

    private async Task SaveAsync(PeerId peer, CancellationToken cancellationToken)
    {
        PeerRecord? known = _store.Get(peer);
        if (known is null)
        {
            return;
        }

        byte[] record = new PersistedPeer
        {
            Id = peer,
            Addresses = _store.GetAddressExpiries(peer),
            Protocols = known.Protocols,
            PublicKey = known.PublicKey,
            AgentVersion = known.AgentVersion,
            ObservedAddress = known.ObservedAddress,
        }.Encode();
        if (record.Length > PersistedPeer.MaxSize)
        {
            Log.TooLarge(_logger, peer, record.Length, PersistedPeer.MaxSize);
            return;
        }

        await _datastore.PutAsync(KeyOf(peer), record, cancellationToken);
    }

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Debug, Message = "Loaded {Loaded} peers from the datastore ({Skipped} records skipped)")]
        public static partial void Loaded(ILogger logger, int loaded, int skipped);

        [LoggerMessage(Level = LogLevel.Warning, Message = "Skipped the peer record {Key}: {Reason}")]
        public static partial void Skipped(ILogger logger, string key, string reason);

        [LoggerMessage(Level = LogLevel.Warning, Message = "More than {Limit} peer records are stored; the rest are not loaded")]
        public static partial void TooManyRecords(ILogger logger, int limit);

        [LoggerMessage(Level = LogLevel.Warning, Message = "Reading the peer records failed; the node starts without them")]
        public static partial void LoadFailed(ILogger logger, Exception exception);

        [LoggerMessage(Level = LogLevel.Warning, Message = "Saving the peer record of {Peer} failed")]
        public static partial void SaveFailed(ILogger logger, PeerId peer, Exception exception);

        [LoggerMessage(Level = LogLevel.Warning, Message = "Peer records not saved: {Count}; the datastore took longer than {Timeout} while the node stopped")]
        public static partial void DrainTimedOut(ILogger logger, int count, TimeSpan timeout);

        [LoggerMessage(Level = LogLevel.Warning, Message = "The peer record of {Peer} is {Size} bytes, over {Limit}; not saved")]
        public static partial void TooLarge(ILogger logger, PeerId peer, int size, int limit);
    }
}
