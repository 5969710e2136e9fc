using Helia.Core.Blocks;
using Helia.Multiformats;

namespace Helia.UnixFS.Importer;

/// <summary>Names blocks (hash, identity for small ones when inlining) and stores them unless only hashing.</summary>
internal sealed class BlockWriter(IBlockstore? blockstore, ImporterOptions options)
{
    /// <summary>
    /// Computes the CID of <paramref name="block"/> and stores it. <paramref name="block"/> must be an exact-size array
    /// the store may keep.
    /// </summary>
    public async ValueTask<Cid> PutAsync(ReadOnlyMemory<byte> block, Multicodec codec, CancellationToken cancellationToken)
    {
        Cid cid = ComputeCid(block.Span, codec);
        if (!options.OnlyHash && blockstore is not null)
        {
            await blockstore.PutAsync(cid, block, cancellationToken);
        }

        return cid;
    }

    public Cid ComputeCid(ReadOnlySpan<byte> block, Multicodec codec)
    {
        if (options.InlineLimit > 0 && block.Length <= options.InlineLimit)
        {
            return Cid.CreateV1(codec, Multihash.Create(Multicodec.Identity, block));
        }

        Multihash hash = Multihash.Compute(options.HashFunction, block);
        return codec == Multicodec.DagPb && options.CidVersion == 0 ? Cid.CreateV0(hash) : Cid.CreateV1(codec, hash);
    }
}
