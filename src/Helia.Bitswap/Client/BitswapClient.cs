using System.Diagnostics.CodeAnalysis;
using Helia.Bitswap.Messages;
using Helia.Multiformats;
using Microsoft.Extensions.Logging;

namespace Helia.Bitswap.Client;

/// <summary>
/// Our wantlist and what arrives for it. <see cref="WantAsync"/> shares one network request among every waiter for a
/// CID, and cancels it on the wire when the last waiter gives up. Every received block's CID is rebuilt from the hash of
/// its bytes (<see cref="CidPrefix.TryComputeCid"/>), and a block completes a want only when that multihash equals the
/// wanted one, so nothing unverified is ever returned or stored. Blocks nobody wanted are counted against the peer that
/// sent them, and a peer over the limit is disconnected. Connection events keep the peer set: new peers get our wantlist.
/// Every wantlist change is queued to the peers while the lock is held, a want that leaves the wantlist is cancelled with
/// every peer it went to (the one that sent the block too: it may have had the want again after serving it, from a
/// retry), and its slot is freed only after those cancels are queued. So each peer sees our changes in the order we made
/// them, and its copy of our wantlist never holds more than ours: a peer cuts off one that wants more than
/// <see cref="BitswapOptions.MaxWantsPerPeer"/>.
/// </summary>
public sealed partial class BitswapClient
{
    private readonly IBitswapNetwork _network;
    private readonly BitswapOptions _options;
    private readonly BitswapMetrics _metrics;
    private readonly ILogger _logger;
    private readonly Lock _lock = new();
    private readonly Dictionary<Multihash, Want> _wants = [];
    private readonly HashSet<PeerId> _peers = [];
    private readonly Dictionary<PeerId, int> _unwanted = [];
    private readonly RecentCids _recent;
    private readonly List<IPeerListener> _listeners = [];
    private readonly SemaphoreSlim _slots;

    internal BitswapClient(IBitswapNetwork network, BitswapOptions options, BitswapMetrics metrics, ILogger logger)
    {
        _network = network;
        _options = options;
        _metrics = metrics;
        _logger = logger;
        _recent = new RecentCids(options.RecentWantsCapacity);
        _slots = new SemaphoreSlim(options.MaxWantsPerPeer, options.MaxWantsPerPeer);
    }

    public int WantlistSize
    {
        get
        {
            lock (_lock)
            {
                return _wants.Count;
            }
        }
    }

    public IReadOnlyList<Cid> GetWantlist()
    {
        lock (_lock)
        {
            var cids = new List<Cid>(_wants.Count);
            foreach (Want want in _wants.Values)
            {
                cids.Add(want.Cid);
            }

            return cids;
        }
    }

    public IReadOnlyList<PeerId> GetPeers()
    {
        lock (_lock)
        {
            return [.. _peers];
        }
    }

    /// <summary>
    /// Asks every connected peer (and every peer that connects later) for the block and returns its verified bytes.
    /// Waits until the block arrives or <paramref name="cancellationToken"/> fires.
    /// </summary>
    public async Task<ReadOnlyMemory<byte>> WantAsync(Cid cid, CancellationToken cancellationToken = default)
    {
        if (TryGetInline(cid, out ReadOnlyMemory<byte> inline))
        {
            return inline;
        }

        Want want = await AcquireAsync(cid, observer: null, cancellationToken);
        try
        {
            lock (_lock)
            {
                if (!want.Broadcast && !want.Closed)
                {
                    want.Broadcast = true;
                    WantlistEntry[] entry = [new WantlistEntry(want.Cid, WantType: WantType.Block, SendDontHave: true)];
                    foreach (PeerId peer in _peers)
                    {
                        if (!want.SentTo.TryGetValue(peer, out WantType sent) || sent != WantType.Block)
                        {
                            want.SentTo[peer] = WantType.Block;
                            _network.SendWants(peer, entry);
                        }
                    }
                }
            }

            return await want.Completion.Task.WaitAsync(cancellationToken);
        }
        finally
        {
            Release(want, observer: null);
        }
    }

    /// <summary>Identity CIDs carry their bytes; unsupported hash functions can never be verified.</summary>
    internal static bool TryGetInline(Cid cid, out ReadOnlyMemory<byte> bytes)
    {
        if (cid.IsEmpty)
        {
            throw new ArgumentException("The CID is empty.", nameof(cid));
        }

        if (cid.Hash.Code == (ulong)Multicodec.Identity)
        {
            bytes = cid.Hash.DigestMemory;
            return true;
        }

        if (!MultihashHashers.TryGet(cid.Hash.Code, out _))
        {
            throw new BitswapException($"Cannot fetch {cid}: its hash function {MultihashHashers.NameOf(cid.Hash.Code)} is not supported, so the block could not be verified.");
        }

        bytes = default;
        return false;
    }

    /// <summary>
    /// Joins (or starts) the want for <paramref name="cid"/>; every Acquire needs one <see cref="Release"/>. Starting a
    /// want waits for a slot: our wantlist never exceeds <see cref="BitswapOptions.MaxWantsPerPeer"/>, the limit peers enforce.
    /// </summary>
    internal async ValueTask<Want> AcquireAsync(Cid cid, IWantObserver? observer, CancellationToken cancellationToken)
    {
        if (TryJoin(cid, observer, out Want? existing))
        {
            return existing;
        }

        await _slots.WaitAsync(cancellationToken);
        lock (_lock)
        {
            if (!_wants.TryGetValue(cid.Hash, out Want? want))
            {
                want = new Want(cid);
                _wants.Add(cid.Hash, want);
            }
            else
            {
                _slots.Release();
            }

            want.Waiters++;
            if (observer is not null)
            {
                want.Observers.Add(observer);
            }

            return want;
        }
    }

    private bool TryJoin(Cid cid, IWantObserver? observer, [NotNullWhen(true)] out Want? want)
    {
        lock (_lock)
        {
            if (!_wants.TryGetValue(cid.Hash, out want))
            {
                return false;
            }

            want.Waiters++;
            if (observer is not null)
            {
                want.Observers.Add(observer);
            }

            return true;
        }
    }

    /// <summary>Leaves a want; the last waiter to leave an unanswered want cancels it with every peer it was sent to.</summary>
    internal void Release(Want want, IWantObserver? observer)
    {
        lock (_lock)
        {
            want.Waiters--;
            if (observer is not null)
            {
                want.Observers.Remove(observer);
            }

            if (want.Waiters > 0 || want.Closed)
            {
                return;
            }

            want.Closed = true;
            SendCancels(want);
            if (_wants.TryGetValue(want.Cid.Hash, out Want? current) && ReferenceEquals(current, want))
            {
                _wants.Remove(want.Cid.Hash);
                _recent.Add(want.Cid.Hash);
                _slots.Release();   // after the cancels: a want that takes the slot reaches each peer after them
            }
        }

        want.Completion.TrySetCanceled();
    }

    /// <summary>
    /// Sends a want for <paramref name="want"/> to one peer (a want-block replaces an earlier want-have). A want the peer
    /// already has from us goes out again only when <paramref name="again"/>: the peer stayed silent, and it may never have
    /// seen the want, or its answer may have been lost (a Bitswap 1.0.0/1.1.0 peer never says DONT_HAVE, and an old
    /// peer that sent a block on a stream we reset does not send it again).
    /// </summary>
    internal bool SendWant(Want want, PeerId peer, WantType type, bool again)
    {
        lock (_lock)
        {
            if (want.Closed)
            {
                return true;   // settled: nothing to ask
            }

            if (!_peers.Contains(peer))
            {
                return false;
            }

            if (!again && want.SentTo.TryGetValue(peer, out WantType sent) && (sent == WantType.Block || sent == type))
            {
                return true;
            }

            want.SentTo[peer] = type;
            _network.SendWants(peer, [new WantlistEntry(want.Cid, WantType: type, SendDontHave: true)]);
        }

        return true;
    }

    /// <summary>Sends want-have to every connected peer not in <paramref name="except"/>; returns how many were asked.</summary>
    internal int BroadcastWantHave(Want want, IReadOnlySet<PeerId>? except)
    {
        lock (_lock)
        {
            if (want.Closed)
            {
                return 0;
            }

            int asked = 0;
            WantlistEntry[] entry = [new WantlistEntry(want.Cid, WantType: WantType.Have, SendDontHave: true)];
            foreach (PeerId peer in _peers)
            {
                if (except is null || !except.Contains(peer))
                {
                    want.SentTo.TryAdd(peer, WantType.Have);
                    _network.SendWants(peer, entry);
                    asked++;
                }
            }

            return asked;
        }
    }

    internal bool IsConnected(PeerId peer)
    {
        lock (_lock)
        {
            return _peers.Contains(peer);
        }
    }

    internal int PeerCount
    {
        get
        {
            lock (_lock)
            {
                return _peers.Count;
            }
        }
    }

    internal void AddListener(IPeerListener listener)
    {
        lock (_lock)
        {
            _listeners.Add(listener);
        }
    }

    internal void RemoveListener(IPeerListener listener)
    {
        lock (_lock)
        {
            _listeners.Remove(listener);
        }
    }

    /// <summary>Handles the blocks and presences of a message from <paramref name="peer"/>.</summary>
    internal void ReceiveMessage(PeerId peer, BitswapMessage message)
    {
        List<(Want Want, ReadOnlyMemory<byte> Data, IWantObserver[] Observers)>? completed = null;
        List<(Want Want, IWantObserver[] Observers, BlockPresenceType Type)>? presences = null;
        bool cutOff = false;
        lock (_lock)
        {
            foreach (BitswapBlock block in message.Blocks)
            {
                // block.Cid was rebuilt from the hash of block.Data, so an equal multihash means the bytes verified.
                Multihash hash = block.Cid.Hash;
                if (_wants.Remove(hash, out Want? want))
                {
                    _recent.Add(hash);
                    want.Closed = true;
                    SendCancels(want);
                    _slots.Release();   // after the cancels: a want that takes the slot reaches each peer after them
                    (completed ??= []).Add((want, block.Data, want.Observers.Count > 0 ? [.. want.Observers] : []));
                }
                else if (_recent.Contains(hash))
                {
                    _metrics.DuplicateReceived(block.Data.Length);
                }
                else
                {
                    _metrics.UnwantedReceived();
                    int count = _unwanted.GetValueOrDefault(peer) + 1;
                    _unwanted[peer] = count;
                    cutOff |= count > _options.MaxUnwantedBlocksPerPeer;
                    Log.UnwantedBlock(_logger, block.Cid, peer);
                }
            }

            foreach (BlockPresence presence in message.BlockPresences)
            {
                if (_wants.TryGetValue(presence.Cid.Hash, out Want? want) && want.Observers.Count > 0)
                {
                    (presences ??= []).Add((want, [.. want.Observers], presence.Type));
                }
            }
        }

        if (completed is not null)
        {
            foreach ((Want want, ReadOnlyMemory<byte> data, IWantObserver[] observers) in completed)
            {
                _metrics.BlockReceived(data.Length);
                foreach (IWantObserver observer in observers)
                {
                    observer.OnBlock(want, peer);
                }

                want.Completion.TrySetResult(data);
            }
        }

        if (presences is not null)
        {
            foreach ((Want want, IWantObserver[] observers, BlockPresenceType type) in presences)
            {
                foreach (IWantObserver observer in observers)
                {
                    observer.OnPresence(want, peer, type);
                }
            }
        }

        if (cutOff)
        {
            _network.Disconnect(peer, $"sent more than {_options.MaxUnwantedBlocksPerPeer} blocks that were never wanted or did not verify");
        }
    }

    /// <summary>A peer connected: it gets our wantlist (want-block for broadcast wants, want-have for session wants).</summary>
    internal void PeerConnected(PeerId peer)
    {
        List<WantlistEntry> entries = [];
        IPeerListener[] listeners;
        lock (_lock)
        {
            if (!_peers.Add(peer))
            {
                return;
            }

            foreach (Want want in _wants.Values)
            {
                if (want.Broadcast)
                {
                    want.SentTo[peer] = WantType.Block;
                    entries.Add(new WantlistEntry(want.Cid, WantType: WantType.Block, SendDontHave: true));
                }
                else if (want.Observers.Count > 0)
                {
                    want.SentTo[peer] = WantType.Have;
                    entries.Add(new WantlistEntry(want.Cid, WantType: WantType.Have, SendDontHave: true));
                }
            }

            if (entries.Count > 0)
            {
                _network.SendWants(peer, entries);
            }

            listeners = [.. _listeners];
        }

        foreach (IPeerListener listener in listeners)
        {
            listener.OnPeerConnected(peer);
        }
    }

    /// <summary>A peer disconnected: forget it, and tell the sessions whose wants it had.</summary>
    internal void PeerDisconnected(PeerId peer)
    {
        List<(Want Want, IWantObserver[] Observers)> affected = [];
        IPeerListener[] listeners;
        lock (_lock)
        {
            if (!_peers.Remove(peer))
            {
                return;
            }

            _unwanted.Remove(peer);
            foreach (Want want in _wants.Values)
            {
                if (want.SentTo.Remove(peer) && want.Observers.Count > 0)
                {
                    affected.Add((want, [.. want.Observers]));
                }
            }

            listeners = [.. _listeners];
        }

        foreach ((Want want, IWantObserver[] observers) in affected)
        {
            foreach (IWantObserver observer in observers)
            {
                observer.OnPeerGone(want, peer);
            }
        }

        foreach (IPeerListener listener in listeners)
        {
            listener.OnPeerDisconnected(peer);
        }
    }

    /// <summary>Cancels a want with every peer it was sent to, the one that answered it included. Under the lock.</summary>
    private void SendCancels(Want want)
    {
        if (want.SentTo.Count == 0)
        {
            return;
        }

        WantlistEntry[] cancel = [WantlistEntry.CancelFor(want.Cid)];
        foreach (PeerId peer in want.SentTo.Keys)
        {
            _network.SendWants(peer, cancel);
        }

        want.SentTo.Clear();
    }

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Debug, Message = "Ignored block {Cid} from {Peer}: never wanted")]
        public static partial void UnwantedBlock(ILogger logger, Cid cid, PeerId peer);
    }
}
