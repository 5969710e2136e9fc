using System.Runtime.CompilerServices;
using Helia.Multiformats;

namespace Helia.Core.Blocks;

/// <summary>
/// Where blocks live. The same contract for local and networked stores: UnixFS, CAR and pins take this and do not
/// care which. Blocks are keyed by multihash, so the v0 and v1 CIDs of the same bytes find the same block.
/// </summary>
public interface IBlockstore
{
    ValueTask<bool> HasAsync(Cid cid, CancellationToken cancellationToken = default);

    /// <summary>The block's bytes; throws <see cref="BlockNotFoundException"/> when it is missing.</summary>
    ValueTask<ReadOnlyMemory<byte>> GetAsync(Cid cid, CancellationToken cancellationToken = default);

    /// <summary>
    /// Stores a block. The store never keeps <paramref name="bytes"/> itself (it copies, or writes them out), so the
    /// caller may reuse its buffer once this completes (the importer puts pooled chunks).
    /// </summary>
    ValueTask PutAsync(Cid cid, ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken = default);

    /// <summary>
    /// Stores a block whose bytes the caller gives away: nobody writes them again (a fresh exact-size array, as a
    /// network decoder or a block broker returns), so a store that keeps blocks in memory may keep these bytes instead
    /// of a copy, and may hand them to several readers. Otherwise as <see cref="PutAsync"/>, which is the default.
    /// </summary>
    ValueTask PutOwnedAsync(Cid cid, ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken = default) =>
        PutAsync(cid, bytes, cancellationToken);

    ValueTask DeleteAsync(Cid cid, CancellationToken cancellationToken = default);

    IAsyncEnumerable<Cid> PutManyAsync(IAsyncEnumerable<Block> blocks, CancellationToken cancellationToken = default);

    IAsyncEnumerable<Block> GetManyAsync(IAsyncEnumerable<Cid> cids, CancellationToken cancellationToken = default);

    IAsyncEnumerable<Cid> DeleteManyAsync(IAsyncEnumerable<Cid> cids, CancellationToken cancellationToken = default);

    /// <summary>
    /// Every stored block. A store keyed by multihash may not know the codec a block was put with; such stores yield
    /// CIDv1 with the raw codec (as Kubo's flatfs does). Identity blocks are never stored, so never listed.
    /// </summary>
    IAsyncEnumerable<Block> GetAllAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// The CIDs of every stored block, without reading the blocks (garbage collection sweeps with this). Stores that
    /// can list keys cheaply override it; the default reads every block.
    /// </summary>
    async IAsyncEnumerable<Cid> GetAllCidsAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await foreach (Block block in GetAllAsync(cancellationToken))
        {
            yield return block.Cid;
        }
    }

    /// <summary>The size in bytes of a block; throws <see cref="BlockNotFoundException"/> when it is missing.</summary>
    async ValueTask<int> GetSizeAsync(Cid cid, CancellationToken cancellationToken = default) =>
        (await GetAsync(cid, cancellationToken)).Length;
}
