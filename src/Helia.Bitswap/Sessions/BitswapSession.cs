using Helia.Bitswap.Client;
using Helia.Bitswap.Messages;
using Helia.Core.Routing;
using Helia.Multiformats;
using Microsoft.Extensions.Logging;

namespace Helia.Bitswap.Sessions;

/// <summary>
/// Fetches the blocks of one DAG from the peers that have it (boxo's and Helia's sessions). The first want is a
/// want-have broadcast; peers answering HAVE, or sending the block itself, join the session (Bitswap 1.0.0 and 1.1.0
/// peers have no HAVE: they get a broadcast want-have as a want-block and answer with the block), and later wants go as a
/// want-block to one session peer at a time (round robin, so two providers share the load without sending the same block twice). DONT_HAVE or a
/// disconnect moves the want to the next peer; when no peer is left the want is broadcast again, and when nobody
/// connected has it the session asks content routing for providers and dials them. A want unanswered for
/// <see cref="BitswapOptions.RebroadcastInterval"/> is retried the same way. Every step is driven by a message, a
/// connection event or a timer: nothing polls.
/// </summary>
internal sealed partial class BitswapSession : IWantObserver, IPeerListener
{
    private readonly BitswapClient _client;
    private readonly IBitswapNetwork _network;
    private readonly IContentRouter? _router;
    private readonly BackgroundTasks _background;
    private readonly BitswapOptions _options;
    private readonly int _maxProviders;
    private readonly ILogger _logger;
    private readonly Lock _lock = new();
    private readonly List<PeerId> _peers = [];
    private readonly Dictionary<Want, SessionWant> _pending = [];
    private int _next;

    public BitswapSession(BitswapClient client, IBitswapNetwork network, IContentRouter? router, BackgroundTasks background, BitswapOptions options, int maxProviders, ILogger logger)
    {
        _client = client;
        _network = network;
        _router = router;
        _background = background;
        _options = options;
        _maxProviders = maxProviders;
        _logger = logger;
    }

    /// <summary>Peers that answered HAVE, or sent a block, in this session.</summary>
    public IReadOnlyList<PeerId> Peers
    {
        get
        {
            lock (_lock)
            {
                return [.. _peers];
            }
        }
    }

    /// <summary>Fetches one block through the session; <paramref name="providers"/> are dialed first.</summary>
    public async Task<ReadOnlyMemory<byte>> WantAsync(Cid cid, IReadOnlyList<PeerInfo> providers, CancellationToken cancellationToken)
    {
        if (BitswapClient.TryGetInline(cid, out ReadOnlyMemory<byte> inline))
        {
            return inline;
        }

        foreach (PeerInfo provider in providers)
        {
            if (!_client.IsConnected(provider.Id))
            {
                _background.Run(_network.ConnectAsync(provider, cancellationToken), "dial provider");
            }
        }

        Want want = await _client.AcquireAsync(cid, this, cancellationToken);
        var state = new SessionWant(want);
        lock (_lock)
        {
            _pending[want] = state;
        }

        using ITimer timer = TimeProvider.System.CreateTimer(
            static s => ((BitswapSession)((object[])s!)[0]).OnTimeout((SessionWant)((object[])s!)[1]),
            new object[] { this, state },
            _options.RebroadcastInterval,
            _options.RebroadcastInterval);
        using CancellationTokenRegistration registration = cancellationToken.Register(static s => ((SessionWant)s!).Stop.Cancel(), state);
        try
        {
            Advance(state, ask: true);
            return await want.Completion.Task.WaitAsync(cancellationToken);
        }
        finally
        {
            lock (_lock)
            {
                _pending.Remove(want);
            }

            await state.Stop.CancelAsync();
            _client.Release(want, this);
        }
    }

    public void OnPresence(Want want, PeerId peer, BlockPresenceType type)
    {
        SessionWant? state;
        lock (_lock)
        {
            if (!_pending.TryGetValue(want, out state))
            {
                return;
            }

            if (type == BlockPresenceType.Have)
            {
                if (!_peers.Contains(peer))
                {
                    _peers.Add(peer);
                }

                state.Haves.Add(peer);
                state.DontHaves.Remove(peer);
            }
            else
            {
                state.DontHaves.Add(peer);
                state.Haves.Remove(peer);
                if (state.BlockPeer == peer)
                {
                    state.BlockPeer = null;
                }
            }
        }

        Advance(state, ask: false);
    }

    public void OnBlock(Want want, PeerId peer)
    {
        lock (_lock)
        {
            if (_pending.ContainsKey(want) && !_peers.Contains(peer))
            {
                _peers.Add(peer);
            }
        }
    }

    public void OnPeerGone(Want want, PeerId peer)
    {
        SessionWant? state;
        lock (_lock)
        {
            if (!_pending.TryGetValue(want, out state))
            {
                return;
            }

            state.Haves.Remove(peer);
            state.DontHaves.Add(peer);
            if (state.BlockPeer == peer)
            {
                state.BlockPeer = null;
            }
        }

        Advance(state, ask: false);
    }

    public void OnPeerConnected(PeerId peer)
    {
        // The client sends our session wants to new peers as want-have; their answers arrive through OnPresence.
    }

    public void OnPeerDisconnected(PeerId peer)
    {
        lock (_lock)
        {
            _peers.Remove(peer);
        }
    }

    private void OnTimeout(SessionWant state)
    {
        lock (_lock)
        {
            if (!_pending.ContainsKey(state.Want))
            {
                return;
            }

            // Silence from the want-block peer counts as a refusal for now; everyone may be asked again, and asking
            // again puts the want on the wire again (Advance with a round above 0), even to a peer asked before.
            if (state.BlockPeer is PeerId silent)
            {
                state.Haves.Remove(silent);
                state.BlockPeer = null;
            }

            state.Rounds++;
            state.DontHaves.Clear();
            state.Tried.Clear();
        }

        Advance(state, ask: true);
    }

    /// <summary>Makes sure somebody is asked for the block: a want-block to a peer that has it, else a want-have broadcast, else routing.</summary>
    private void Advance(SessionWant state, bool ask)
    {
        PeerId? target = null;
        bool broadcast = false;
        bool again = false;
        lock (_lock)
        {
            if (state.Want.Completion.Task.IsCompleted || state.BlockPeer is not null)
            {
                return;
            }

            // A peer that said HAVE for this block first, then session peers that have not refused it.
            foreach (PeerId peer in state.Haves)
            {
                target = peer;
                break;
            }

            if (target is null && _peers.Count > 0)
            {
                for (int i = 0; i < _peers.Count; i++)
                {
                    PeerId candidate = _peers[(_next + i) % _peers.Count];
                    if (!state.DontHaves.Contains(candidate) && !state.Tried.Contains(candidate))
                    {
                        target = candidate;
                        _next = (_next + i + 1) % _peers.Count;
                        break;
                    }
                }
            }

            if (target is PeerId chosen)
            {
                state.BlockPeer = chosen;
                state.Tried.Add(chosen);
                again = ask && state.Rounds > 0;   // a retry: the want goes on the wire again, even to the peer that had it
            }
            else
            {
                broadcast = ask || !state.Broadcasted;
                state.Broadcasted = true;
            }
        }

        if (target is PeerId peerId)
        {
            if (!_client.SendWant(state.Want, peerId, WantType.Block, again))
            {
                lock (_lock)
                {
                    // Gone (a HAVE can be handled after the disconnect): not a candidate again, or this recursion never ends.
                    state.Haves.Remove(peerId);
                    state.DontHaves.Add(peerId);
                    if (state.BlockPeer == peerId)
                    {
                        state.BlockPeer = null;
                    }
                }

                Advance(state, ask);
            }

            return;
        }

        int asked = broadcast ? _client.BroadcastWantHave(state.Want, state.DontHaves) : 0;
        bool everyoneRefused;
        lock (_lock)
        {
            everyoneRefused = asked == 0 && state.DontHaves.Count >= _client.PeerCount;
        }

        if (everyoneRefused || (broadcast && state.Rounds > 0))
        {
            FindProviders(state);
        }
    }

    private void FindProviders(SessionWant state)
    {
        if (_router is null)
        {
            return;
        }

        lock (_lock)
        {
            if (state.FindingProviders)
            {
                return;
            }

            state.FindingProviders = true;
        }

        _background.Run(FindProvidersAsync(state), "find providers");
    }

    private async Task FindProvidersAsync(SessionWant state)
    {
        CancellationToken cancellationToken = state.Stop.Token;
        try
        {
            int dialed = 0;
            await foreach (ProviderRecord provider in _router!.FindProvidersAsync(state.Want.Cid, cancellationToken))
            {
                if (_client.IsConnected(provider.PeerId))
                {
                    continue;
                }

                Log.DialingProvider(_logger, provider.PeerId, state.Want.Cid);
                try
                {
                    await _network.ConnectAsync(provider.ToPeerInfo(), cancellationToken);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    Log.DialFailed(_logger, provider.PeerId, ex);
                    continue;
                }

                if (++dialed >= _maxProviders)
                {
                    break;
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        finally
        {
            lock (_lock)
            {
                state.FindingProviders = false;
            }
        }
    }

    private sealed class SessionWant(Want want)
    {
        public Want Want { get; } = want;

        public HashSet<PeerId> Haves { get; } = [];

        public HashSet<PeerId> DontHaves { get; } = [];

        public HashSet<PeerId> Tried { get; } = [];

        public PeerId? BlockPeer { get; set; }

        public bool Broadcasted { get; set; }

        public bool FindingProviders { get; set; }

        public int Rounds { get; set; }

        public CancellationTokenSource Stop { get; } = new();
    }

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Debug, Message = "Dialing provider {Peer} for {Cid}")]
        public static partial void DialingProvider(ILogger logger, PeerId peer, Cid cid);

        [LoggerMessage(Level = LogLevel.Debug, Message = "Dialing provider {Peer} failed")]
        public static partial void DialFailed(ILogger logger, PeerId peer, Exception exception);
    }
}
