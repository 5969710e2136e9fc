using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Helia.Multiformats;

namespace Helia.Core.Blocks;

/// <summary>
/// A blockstore in memory, for tests and ephemeral nodes. Keyed by multihash; keeps the first CID put for listing.
/// <see cref="IBlockstore.PutAsync"/> keeps an exact copy; <see cref="IBlockstore.PutOwnedAsync"/> keeps the bytes given.
/// Readers share the stored memory and must not write it.
/// </summary>
public sealed class MemoryBlockstore : BlockstoreBase
{
    private readonly ConcurrentDictionary<Multihash, Block> _blocks = new();

    /// <summary>The number of blocks held (identity blocks are never held).</summary>
    public int Count => _blocks.Count;

    public override async IAsyncEnumerable<Block> GetAllAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await Task.CompletedTask;
        foreach (KeyValuePair<Multihash, Block> entry in _blocks)
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return entry.Value;
        }
    }

    protected override ValueTask<bool> HasCoreAsync(Multihash hash, CancellationToken cancellationToken) =>
        ValueTask.FromResult(_blocks.ContainsKey(hash));

    protected override ValueTask<ReadOnlyMemory<byte>> GetCoreAsync(Cid cid, CancellationToken cancellationToken) =>
        _blocks.TryGetValue(cid.Hash, out Block block)
            ? ValueTask.FromResult(block.Bytes)
            : ValueTask.FromException<ReadOnlyMemory<byte>>(new BlockNotFoundException(cid));

    protected override ValueTask PutCoreAsync(Cid cid, ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken)
    {
        // The caller keeps its buffer; the store keeps an exact copy of its own.
        _blocks.GetOrAdd(cid.Hash, static (_, state) => new Block(state.cid, state.bytes.ToArray()), (cid, bytes));
        return ValueTask.CompletedTask;
    }

    protected override ValueTask PutOwnedCoreAsync(Cid cid, ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken)
    {
        // Nobody writes these bytes again (IBlockstore.PutOwnedAsync): keep them as they are, unless they are a slice
        // of a larger buffer, which keeping would hold alive whole.
        if (!MemoryMarshal.TryGetArray(bytes, out ArraySegment<byte> segment) || segment.Offset != 0 || segment.Count != segment.Array!.Length)
        {
            return PutCoreAsync(cid, bytes, cancellationToken);
        }

        _blocks.TryAdd(cid.Hash, new Block(cid, bytes));
        return ValueTask.CompletedTask;
    }

    protected override ValueTask DeleteCoreAsync(Multihash hash, CancellationToken cancellationToken)
    {
        _blocks.TryRemove(hash, out _);
        return ValueTask.CompletedTask;
    }
}
