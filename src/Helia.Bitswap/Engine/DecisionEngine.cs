using System.Threading.Channels;
using Helia.Bitswap.Messages;
using Helia.Core.Blocks;
using Helia.Multiformats;
using Microsoft.Extensions.Logging;

namespace Helia.Bitswap.Engine;

/// <summary>
/// The server side: a ledger per peer and a round-robin queue of peers with work. A worker takes the next peer, answers
/// its highest-priority wants until about <see cref="TurnBytes"/> are queued (reading the blockstore asynchronously),
/// then puts the peer at the back of the queue, so a peer asking for 10,000 blocks never starves one asking for one.
/// A peer is only scheduled while the bytes queued to its stream and not yet flushed stay under the in-flight cap, and
/// every send passes the shared bandwidth limiter.
/// </summary>
internal sealed partial class DecisionEngine : IAsyncDisposable
{
    /// <summary>Block bytes one peer gets per turn before the next peer is served.</summary>
    public const int TurnBytes = 1024 * 1024;

    private readonly IBlockstore _blockstore;
    private readonly IBitswapNetwork _network;
    private readonly BitswapOptions _options;
    private readonly BitswapMetrics _metrics;
    private readonly ILogger _logger;
    private readonly BandwidthLimiter _bandwidth;
    private readonly Lock _lock = new();
    private readonly Dictionary<PeerId, PeerLedger> _ledgers = [];
    private readonly Channel<PeerLedger> _ready = Channel.CreateUnbounded<PeerLedger>(new UnboundedChannelOptions { SingleWriter = false });
    private readonly CancellationTokenSource _stopping = new();
    private Task[] _workers = [];

    public DecisionEngine(IBlockstore blockstore, IBitswapNetwork network, BitswapOptions options, BitswapMetrics metrics, ILogger logger, TimeProvider? timeProvider = null)
    {
        _blockstore = blockstore;
        _network = network;
        _options = options;
        _metrics = metrics;
        _logger = logger;
        _bandwidth = new BandwidthLimiter(options.MaxBytesPerSecond, timeProvider);
    }

    public int PeerCount
    {
        get
        {
            lock (_lock)
            {
                return _ledgers.Count;
            }
        }
    }

    public void Start()
    {
        _workers = new Task[_options.EngineWorkers];
        for (int i = 0; i < _workers.Length; i++)
        {
            _workers[i] = RunWorkerAsync(_stopping.Token);
        }
    }

    /// <summary>
    /// Applies a peer's wantlist changes and queues the answers. Throws <see cref="BitswapProtocolException"/> when the peer
    /// wants more than <see cref="BitswapOptions.MaxWantsPerPeer"/> blocks: its wants are dropped and it should be cut off.
    /// </summary>
    public void ReceiveMessage(PeerId peer, BitswapProtocolVersion version, BitswapMessage message)
    {
        lock (_lock)
        {
            PeerLedger ledger = GetOrAddLedger(peer);
            ledger.Version = version;
            ledger.MessagesReceived++;
            foreach (BitswapBlock block in message.Blocks)
            {
                ledger.BlocksReceived++;
                ledger.BytesReceived += block.Data.Length;
            }

            if (message.FullWantlist)
            {
                ledger.Clear();
            }

            foreach (WantlistEntry entry in message.Wantlist)
            {
                if (entry.Cancel)
                {
                    ledger.Cancel(entry.Cid);
                }
                else if (!ledger.TryAddWant(entry, _options.MaxWantsPerPeer))
                {
                    ledger.Clear();
                    throw new BitswapProtocolException($"Peer {peer} wants more than {_options.MaxWantsPerPeer} blocks.");
                }
            }

            TrySchedule(ledger);
        }
    }

    /// <summary>We now have <paramref name="cid"/>: queue it for every peer that wants it.</summary>
    public void NotifyNewBlock(Cid cid)
    {
        lock (_lock)
        {
            foreach (PeerLedger ledger in _ledgers.Values)
            {
                if (ledger.Requeue(cid))
                {
                    TrySchedule(ledger);
                }
            }
        }
    }

    public void RemovePeer(PeerId peer)
    {
        lock (_lock)
        {
            if (_ledgers.Remove(peer, out PeerLedger? ledger))
            {
                ledger.Clear();
            }
        }
    }

    public LedgerStat? GetLedger(PeerId peer)
    {
        lock (_lock)
        {
            return _ledgers.TryGetValue(peer, out PeerLedger? ledger) ? Snapshot(ledger) : null;
        }
    }

    public IReadOnlyList<LedgerStat> GetLedgers()
    {
        lock (_lock)
        {
            var stats = new List<LedgerStat>(_ledgers.Count);
            foreach (PeerLedger ledger in _ledgers.Values)
            {
                stats.Add(Snapshot(ledger));
            }

            return stats;
        }
    }

    /// <summary>The CIDs a peer wants from us.</summary>
    public IReadOnlyList<Cid> GetWantlist(PeerId peer)
    {
        lock (_lock)
        {
            return _ledgers.TryGetValue(peer, out PeerLedger? ledger) ? [.. ledger.WantedCids] : [];
        }
    }

    public async ValueTask DisposeAsync()
    {
        _ready.Writer.TryComplete();
        await _stopping.CancelAsync();
        try
        {
            await Task.WhenAll(_workers);
        }
        catch (OperationCanceledException)
        {
        }

        _stopping.Dispose();
    }

    private static LedgerStat Snapshot(PeerLedger ledger) =>
        new(ledger.Peer, ledger.BytesSent, ledger.BytesReceived, ledger.BlocksSent, ledger.BlocksReceived, ledger.MessagesReceived, ledger.WantCount);

    private PeerLedger GetOrAddLedger(PeerId peer)
    {
        if (!_ledgers.TryGetValue(peer, out PeerLedger? ledger))
        {
            ledger = new PeerLedger(peer);
            _ledgers.Add(peer, ledger);
        }

        return ledger;
    }

    /// <summary>Puts the peer in the ready queue when it has work, is not queued already and has room in flight. Under the lock.</summary>
    private void TrySchedule(PeerLedger ledger)
    {
        if (!ledger.Scheduled && ledger.HasTasks && ledger.InFlightBytes < _options.MaxInFlightBytesPerPeer
            && _ledgers.TryGetValue(ledger.Peer, out PeerLedger? current) && ReferenceEquals(current, ledger))
        {
            ledger.Scheduled = true;
            _ready.Writer.TryWrite(ledger);
        }
    }

    private async Task RunWorkerAsync(CancellationToken cancellationToken)
    {
        await foreach (PeerLedger ledger in _ready.Reader.ReadAllAsync(cancellationToken))
        {
            try
            {
                await ServeTurnAsync(ledger, cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                Log.TurnFailed(_logger, ledger.Peer, ex);
            }
            finally
            {
                lock (_lock)
                {
                    ledger.Scheduled = false;
                    TrySchedule(ledger);
                }
            }
        }
    }

    private async Task ServeTurnAsync(PeerLedger ledger, CancellationToken cancellationToken)
    {
        var builder = new BitswapMessageBuilder(ledger.Version, _options.MaxMessageSize);
        long turnBytes = 0;
        long blockBytes = 0;
        int blocks = 0;
        while (turnBytes < TurnBytes)
        {
            EngineTask task;
            lock (_lock)
            {
                if (ledger.InFlightBytes + turnBytes >= _options.MaxInFlightBytesPerPeer || !ledger.TryDequeue(out task))
                {
                    break;
                }
            }

            Answer answer = await AnswerAsync(task, cancellationToken);
            if (answer.Kind == AnswerKind.None)
            {
                continue;
            }

            if (!TryAdd(builder, task, answer))
            {
                if (builder.IsEmpty)
                {
                    // A block too large for any message: for the peer we do not have it.
                    answer = task.SendDontHave ? new Answer(AnswerKind.DontHave, default) : default;
                    TryAdd(builder, task, answer);
                }
                else
                {
                    await SendAsync(ledger, builder, blocks, blockBytes, cancellationToken);
                    blocks = 0;
                    blockBytes = 0;
                    TryAdd(builder, task, answer);
                }
            }

            if (answer.Kind == AnswerKind.Block)
            {
                blocks++;
                blockBytes += answer.Data.Length;
                turnBytes += answer.Data.Length;
            }

            if (answer.Kind is AnswerKind.Block or AnswerKind.Have)
            {
                lock (_lock)
                {
                    ledger.Complete(task);
                }
            }

            if (blocks == BitswapMessageCodec.MaxBlocksPerMessage)
            {
                // A peer refuses a message with more blocks (ours does too): with MaxWantsPerPeer above that, a turn of
                // small blocks goes out in several messages.
                await SendAsync(ledger, builder, blocks, blockBytes, cancellationToken);
                blocks = 0;
                blockBytes = 0;
            }
        }

        if (!builder.IsEmpty)
        {
            await SendAsync(ledger, builder, blocks, blockBytes, cancellationToken);
        }
    }

    private static bool TryAdd(BitswapMessageBuilder builder, EngineTask task, Answer answer) => answer.Kind switch
    {
        AnswerKind.Block => builder.TryAdd(new BitswapBlock(task.Cid, answer.Data)),
        AnswerKind.Have => builder.TryAdd(new BlockPresence(task.Cid, BlockPresenceType.Have)),
        AnswerKind.DontHave => builder.TryAdd(new BlockPresence(task.Cid, BlockPresenceType.DontHave)),
        _ => true,
    };

    private async ValueTask<Answer> AnswerAsync(EngineTask task, CancellationToken cancellationToken)
    {
        try
        {
            if (!await _blockstore.HasAsync(task.Cid, cancellationToken))
            {
                return task.SendDontHave ? new Answer(AnswerKind.DontHave, default) : default;
            }

            if (task.Type == WantType.Have)
            {
                if (_options.MaxInlineBlockSize == 0)
                {
                    return new Answer(AnswerKind.Have, default);
                }

                int size = _blockstore is BlockstoreBase sized ? await sized.GetSizeAsync(task.Cid, cancellationToken) : int.MaxValue;
                if (size > _options.MaxInlineBlockSize)
                {
                    return new Answer(AnswerKind.Have, default);
                }

                ReadOnlyMemory<byte> small = await _blockstore.GetAsync(task.Cid, cancellationToken);
                return small.Length <= _options.MaxInlineBlockSize ? new Answer(AnswerKind.Block, small) : new Answer(AnswerKind.Have, default);
            }

            return new Answer(AnswerKind.Block, await _blockstore.GetAsync(task.Cid, cancellationToken));
        }
        catch (BlockNotFoundException)
        {
            return task.SendDontHave ? new Answer(AnswerKind.DontHave, default) : default;
        }
    }

    private async Task SendAsync(PeerLedger ledger, BitswapMessageBuilder builder, int blocks, long blockBytes, CancellationToken cancellationToken)
    {
        int size = builder.Size;
        BitswapMessage message = builder.Build();
        await _bandwidth.WaitAsync(size, cancellationToken);
        lock (_lock)
        {
            ledger.InFlightBytes += size;
            ledger.BlocksSent += blocks;
            ledger.BytesSent += blockBytes;
        }

        _metrics.Sent(blocks, blockBytes);
        _network.Send(ledger.Peer, message, error =>
        {
            if (error is not null)
            {
                Log.SendFailed(_logger, ledger.Peer, error);
            }

            lock (_lock)
            {
                ledger.InFlightBytes -= size;
                TrySchedule(ledger);
            }
        });
    }

    private enum AnswerKind
    {
        None,
        Block,
        Have,
        DontHave,
    }

    private readonly record struct Answer(AnswerKind Kind, ReadOnlyMemory<byte> Data);

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Warning, Message = "Serving {Peer} failed")]
        public static partial void TurnFailed(ILogger logger, PeerId peer, Exception exception);

        [LoggerMessage(Level = LogLevel.Debug, Message = "Sending to {Peer} failed")]
        public static partial void SendFailed(ILogger logger, PeerId peer, Exception exception);
    }
}
