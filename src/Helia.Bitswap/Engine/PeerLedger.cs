using Helia.Bitswap.Messages;
using Helia.Multiformats;

namespace Helia.Bitswap.Engine;

/// <summary>
/// What one peer wants from us and what we exchanged with it. Its pending tasks form a priority queue (higher
/// priority first, then oldest first); cancelled or replaced tasks are skipped when popped. Guarded by the engine's lock.
/// </summary>
internal sealed class PeerLedger(PeerId peer)
{
    private readonly Dictionary<Cid, LedgerWant> _wants = [];
    private readonly PriorityQueue<Cid, (int Priority, long Sequence)> _tasks = new();
    private long _sequence;

    public PeerId Peer { get; } = peer;

    public BitswapProtocolVersion Version { get; set; } = BitswapProtocolVersion.V120;

    public int WantCount => _wants.Count;

    public bool HasTasks => _tasks.Count > 0;

    /// <summary>True while the peer sits in the ready queue or a worker serves it.</summary>
    public bool Scheduled { get; set; }

    public long InFlightBytes { get; set; }

    public long BytesSent { get; set; }

    public long BytesReceived { get; set; }

    public long BlocksSent { get; set; }

    public long BlocksReceived { get; set; }

    public long MessagesReceived { get; set; }

    public IEnumerable<Cid> WantedCids => _wants.Keys;

    public bool Wants(Cid cid) => _wants.ContainsKey(cid);

    public void Clear()
    {
        _wants.Clear();
        _tasks.Clear();
    }

    /// <summary>Adds or updates a want and queues a task for it; false when it would exceed <paramref name="maxWants"/>.</summary>
    public bool TryAddWant(WantlistEntry entry, int maxWants)
    {
        WantType type = entry.WantType;
        bool sendDontHave = entry.SendDontHave;
        if (_wants.TryGetValue(entry.Cid, out LedgerWant? existing))
        {
            // A want-block supersedes a want-have for the same block.
            if (existing.Type == WantType.Block)
            {
                type = WantType.Block;
            }
        }
        else if (_wants.Count >= maxWants)
        {
            return false;
        }

        long sequence = ++_sequence;
        _wants[entry.Cid] = new LedgerWant(type, entry.Priority, sendDontHave, sequence);
        _tasks.Enqueue(entry.Cid, (-entry.Priority, sequence));
        return true;
    }

    /// <summary>Queues the existing want for <paramref name="cid"/> again (a block we now have).</summary>
    public bool Requeue(Cid cid)
    {
        if (!_wants.TryGetValue(cid, out LedgerWant? want))
        {
            return false;
        }

        long sequence = ++_sequence;
        _wants[cid] = want with { Sequence = sequence };
        _tasks.Enqueue(cid, (-want.Priority, sequence));
        return true;
    }

    public void Cancel(Cid cid) => _wants.Remove(cid);

    /// <summary>Pops the next live task; stale entries (cancelled, replaced) are dropped on the way.</summary>
    public bool TryDequeue(out EngineTask task)
    {
        while (_tasks.TryDequeue(out Cid cid, out (int Priority, long Sequence) key))
        {
            if (_wants.TryGetValue(cid, out LedgerWant? want) && want.Sequence == key.Sequence)
            {
                task = new EngineTask(cid, want.Type, want.SendDontHave, want.Sequence);
                return true;
            }
        }

        task = default;
        return false;
    }

    /// <summary>Puts back a task that was popped but not served in this turn.</summary>
    public void PushBack(EngineTask task)
    {
        if (_wants.TryGetValue(task.Cid, out LedgerWant? want) && want.Sequence == task.Sequence)
        {
            _tasks.Enqueue(task.Cid, (-want.Priority, task.Sequence));
        }
    }

    /// <summary>Forgets a want once it was answered for good (block or HAVE sent), unless it changed meanwhile.</summary>
    public void Complete(EngineTask task)
    {
        if (_wants.TryGetValue(task.Cid, out LedgerWant? want) && want.Sequence == task.Sequence)
        {
            _wants.Remove(task.Cid);
        }
    }

    private sealed record LedgerWant(WantType Type, int Priority, bool SendDontHave, long Sequence);
}

/// <summary>One want to answer.</summary>
internal readonly record struct EngineTask(Cid Cid, WantType Type, bool SendDontHave, long Sequence);
