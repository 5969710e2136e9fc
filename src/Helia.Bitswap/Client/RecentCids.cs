using Helia.Multiformats;

namespace Helia.Bitswap.Client;

/// <summary>A bounded set of recently completed or cancelled wants, oldest evicted first: a block for one of these is a duplicate, not unwanted.</summary>
internal sealed class RecentCids(int capacity)
{
    private readonly HashSet<Multihash> _set = [];
    private readonly Queue<Multihash> _order = new();

    public void Add(Multihash hash)
    {
        if (!_set.Add(hash))
        {
            return;
        }

        _order.Enqueue(hash);
        if (_order.Count > capacity)
        {
            _set.Remove(_order.Dequeue());
        }
    }

    public bool Contains(Multihash hash) => _set.Contains(hash);
}
