using System.Runtime.CompilerServices;
using Helia.Multiformats;

namespace Helia.Core.Blocks;

/// <summary>
/// What every local blockstore shares: identity CIDs are answered from the CID itself and never reach the store,
/// and the batch operations are loops over the single ones. Implementations key blocks by multihash.
/// </summary>
public abstract class BlockstoreBase : IBlockstore
{
    public ValueTask<bool> HasAsync(Cid cid, CancellationToken cancellationToken = default)
    {
        CheckNotEmpty(cid);
        return IsIdentity(cid) ? ValueTask.FromResult(true) : HasCoreAsync(cid.Hash, cancellationToken);
    }

    public ValueTask<ReadOnlyMemory<byte>> GetAsync(Cid cid, CancellationToken cancellationToken = default)
    {
        CheckNotEmpty(cid);
        return IsIdentity(cid) ? ValueTask.FromResult(cid.Hash.DigestMemory) : GetCoreAsync(cid, cancellationToken);
    }

    public ValueTask PutAsync(Cid cid, ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken = default) =>
        IsStoredIdentity(cid, bytes) ? ValueTask.CompletedTask : PutCoreAsync(cid, bytes, cancellationToken);

    public ValueTask PutOwnedAsync(Cid cid, ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken = default) =>
        IsStoredIdentity(cid, bytes) ? ValueTask.CompletedTask : PutOwnedCoreAsync(cid, bytes, cancellationToken);

    public ValueTask DeleteAsync(Cid cid, CancellationToken cancellationToken = default)
    {
        CheckNotEmpty(cid);
        return IsIdentity(cid) ? ValueTask.CompletedTask : DeleteCoreAsync(cid.Hash, cancellationToken);
    }

    public ValueTask<int> GetSizeAsync(Cid cid, CancellationToken cancellationToken = default)
    {
        CheckNotEmpty(cid);
        return IsIdentity(cid) ? ValueTask.FromResult(cid.Hash.Digest.Length) : GetSizeCoreAsync(cid, cancellationToken);
    }

    public async IAsyncEnumerable<Cid> PutManyAsync(IAsyncEnumerable<Block> blocks, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(blocks);
        await foreach (Block block in blocks.WithCancellation(cancellationToken))
        {
            await PutAsync(block.Cid, block.Bytes, cancellationToken);
            yield return block.Cid;
        }
    }

    public async IAsyncEnumerable<Block> GetManyAsync(IAsyncEnumerable<Cid> cids, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(cids);
        await foreach (Cid cid in cids.WithCancellation(cancellationToken))
        {
            yield return new Block(cid, await GetAsync(cid, cancellationToken));
        }
    }

    public async IAsyncEnumerable<Cid> DeleteManyAsync(IAsyncEnumerable<Cid> cids, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(cids);
        await foreach (Cid cid in cids.WithCancellation(cancellationToken))
        {
            await DeleteAsync(cid, cancellationToken);
            yield return cid;
        }
    }

    public abstract IAsyncEnumerable<Block> GetAllAsync(CancellationToken cancellationToken = default);

    public virtual async IAsyncEnumerable<Cid> GetAllCidsAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await foreach (Block block in GetAllAsync(cancellationToken))
        {
            yield return block.Cid;
        }
    }

    protected abstract ValueTask<bool> HasCoreAsync(Multihash hash, CancellationToken cancellationToken);

    /// <summary>Throws <see cref="BlockNotFoundException"/> for <paramref name="cid"/> when the block is missing.</summary>
    protected abstract ValueTask<ReadOnlyMemory<byte>> GetCoreAsync(Cid cid, CancellationToken cancellationToken);

    /// <summary>Stores a copy of <paramref name="bytes"/> (or writes them out): the caller may reuse its buffer.</summary>
    protected abstract ValueTask PutCoreAsync(Cid cid, ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken);

    /// <summary>Stores bytes nobody writes again (see <see cref="IBlockstore.PutOwnedAsync"/>); by default as <see cref="PutCoreAsync"/>.</summary>
    protected virtual ValueTask PutOwnedCoreAsync(Cid cid, ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken) =>
        PutCoreAsync(cid, bytes, cancellationToken);

    protected abstract ValueTask DeleteCoreAsync(Multihash hash, CancellationToken cancellationToken);

    protected virtual async ValueTask<int> GetSizeCoreAsync(Cid cid, CancellationToken cancellationToken) =>
        (await GetCoreAsync(cid, cancellationToken)).Length;

    /// <summary>True for CIDs whose multihash is the identity function: the block is the digest.</summary>
    public static bool IsIdentity(Cid cid) => cid.Hash.Code == (ulong)Multicodec.Identity;

    /// <summary>True when nothing is to be stored: an identity CID whose digest is the bytes; throws when it is not.</summary>
    private static bool IsStoredIdentity(Cid cid, ReadOnlyMemory<byte> bytes)
    {
        CheckNotEmpty(cid);
        if (!IsIdentity(cid))
        {
            return false;
        }

        return cid.Hash.Digest.SequenceEqual(bytes.Span)
            ? true
            : throw new InvalidBlockException(cid, $"The bytes given for identity CID {cid} are not its digest.");
    }

    private static void CheckNotEmpty(Cid cid)
    {
        if (cid.IsEmpty)
        {
            throw new ArgumentException("The CID is empty (default).", nameof(cid));
        }
    }
}
