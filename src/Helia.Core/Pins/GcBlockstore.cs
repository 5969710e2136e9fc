using Helia.Core.Blocks;
using Helia.Multiformats;

namespace Helia.Core.Pins;

/// <summary>
/// The blockstore the node hands out, wrapping the real one so garbage collection can never lose a block put while
/// it runs. Every put is noted while it is in flight, and while a collection runs every put is remembered until it
/// ends; the sweep skips those. The check and the start of a delete happen under one lock, and a put of the very block
/// being deleted waits for that delete and then writes: either way the block is there after the put.
/// </summary>
public sealed class GcBlockstore : IBlockstore
{
    private readonly IBlockstore _inner;
    private readonly Lock _lock = new();
    private readonly Dictionary<Multihash, int> _inFlight = [];
    private HashSet<Multihash>? _putDuringCollection;
    private HashSet<Multihash>? _putUnderGuard;
    private int _guards;
    private Multihash _deleting;
    private TaskCompletionSource? _deleted;

    public GcBlockstore(IBlockstore inner) => _inner = inner ?? throw new ArgumentNullException(nameof(inner));

    /// <summary>The wrapped store (the collector lists and deletes through it).</summary>
    public IBlockstore Inner => _inner;

    public ValueTask<bool> HasAsync(Cid cid, CancellationToken cancellationToken = default) => _inner.HasAsync(cid, cancellationToken);

    public ValueTask<ReadOnlyMemory<byte>> GetAsync(Cid cid, CancellationToken cancellationToken = default) => _inner.GetAsync(cid, cancellationToken);

    public ValueTask<int> GetSizeAsync(Cid cid, CancellationToken cancellationToken = default) => _inner.GetSizeAsync(cid, cancellationToken);

    public ValueTask DeleteAsync(Cid cid, CancellationToken cancellationToken = default) => _inner.DeleteAsync(cid, cancellationToken);

    public ValueTask PutAsync(Cid cid, ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken = default) =>
        PutAsync(cid, bytes, owned: false, cancellationToken);

    public ValueTask PutOwnedAsync(Cid cid, ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken = default) =>
        PutAsync(cid, bytes, owned: true, cancellationToken);

    private async ValueTask PutAsync(Cid cid, ReadOnlyMemory<byte> bytes, bool owned, CancellationToken cancellationToken)
    {
        Multihash hash = cid.Hash;
        Task? deleting = null;
        lock (_lock)
        {
            _inFlight[hash] = _inFlight.GetValueOrDefault(hash) + 1;
            _putDuringCollection?.Add(hash);
            _putUnderGuard?.Add(hash);
            if (_deleted is not null && _deleting == hash)
            {
                deleting = _deleted.Task;
            }
        }

        try
        {
            if (deleting is not null)
            {
                await deleting.WaitAsync(cancellationToken);
            }

            await (owned ? _inner.PutOwnedAsync(cid, bytes, cancellationToken) : _inner.PutAsync(cid, bytes, cancellationToken));
        }
        finally
        {
            lock (_lock)
            {
                int count = _inFlight[hash] - 1;
                if (count == 0)
                {
                    _inFlight.Remove(hash);
                }
                else
                {
                    _inFlight[hash] = count;
                }
            }
        }
    }

    public async IAsyncEnumerable<Cid> PutManyAsync(IAsyncEnumerable<Block> blocks, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(blocks);
        await foreach (Block block in blocks.WithCancellation(cancellationToken))
        {
            await PutAsync(block.Cid, block.Bytes, cancellationToken);
            yield return block.Cid;
        }
    }

    public IAsyncEnumerable<Block> GetManyAsync(IAsyncEnumerable<Cid> cids, CancellationToken cancellationToken = default) =>
        _inner.GetManyAsync(cids, cancellationToken);

    public IAsyncEnumerable<Cid> DeleteManyAsync(IAsyncEnumerable<Cid> cids, CancellationToken cancellationToken = default) =>
        _inner.DeleteManyAsync(cids, cancellationToken);

    public IAsyncEnumerable<Block> GetAllAsync(CancellationToken cancellationToken = default) => _inner.GetAllAsync(cancellationToken);

    public IAsyncEnumerable<Cid> GetAllCidsAsync(CancellationToken cancellationToken = default) => _inner.GetAllCidsAsync(cancellationToken);

    /// <summary>
    /// Keeps every block put from now until the result is disposed safe from collection, so an operation that stores
    /// blocks and pins them at the end (add, block put --pin) cannot lose them to a collection that starts in between.
    /// While guards overlap, the blocks they put are remembered; the last one to end forgets them.
    /// </summary>
    public IDisposable KeepNewBlocks()
    {
        lock (_lock)
        {
            _guards++;
            _putUnderGuard ??= [];
        }

        return new Guard(this);
    }

    private void EndGuard()
    {
        lock (_lock)
        {
            if (--_guards == 0)
            {
                _putUnderGuard = null;
            }
        }
    }

    internal void BeginCollection()
    {
        lock (_lock)
        {
            _putDuringCollection = [];
        }
    }

    internal void EndCollection()
    {
        lock (_lock)
        {
            _putDuringCollection = null;
        }
    }

    /// <summary>False when the block is being put or was put since the collection began: it must stay.</summary>
    internal bool TryBeginDelete(Multihash hash)
    {
        lock (_lock)
        {
            if (_inFlight.ContainsKey(hash) || (_putDuringCollection?.Contains(hash) ?? false) || (_putUnderGuard?.Contains(hash) ?? false))
            {
                return false;
            }

            _deleting = hash;
            _deleted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            return true;
        }
    }

    internal void EndDelete()
    {
        TaskCompletionSource? deleted;
        lock (_lock)
        {
            deleted = _deleted;
            _deleted = null;
            _deleting = default;
        }

        deleted?.TrySetResult();
    }

    private sealed class Guard(GcBlockstore owner) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                owner.EndGuard();
            }
        }
    }
}
