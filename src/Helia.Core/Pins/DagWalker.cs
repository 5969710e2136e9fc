using System.Runtime.CompilerServices;
using Helia.Core.Blocks;
using Helia.Core.Ipld;
using Helia.Multiformats;

namespace Helia.Core.Pins;

/// <summary>Walks a DAG depth-first, fetching every block through the blockstore given and finding links with the codec its CID names.</summary>
public static class DagWalker
{
    /// <summary>
    /// Yields <paramref name="root"/> and every CID reachable from it, each multihash once (<paramref name="visited"/>
    /// is shared, so several walks can skip what an earlier one saw). A missing block throws
    /// <see cref="BlockNotFoundException"/>, an unknown codec <see cref="UnsupportedCodecException"/>.
    /// </summary>
    public static async IAsyncEnumerable<Cid> WalkAsync(
        Cid root,
        IBlockstore blockstore,
        BlockCodecs codecs,
        ISet<Multihash> visited,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(visited);
        await foreach (Block block in WalkBlocksAsync(root, blockstore, codecs, cid => visited.Add(cid.Hash), cancellationToken))
        {
            yield return block.Cid;
        }
    }

    /// <summary>
    /// Yields the block of <paramref name="root"/> and of every CID reachable from it, depth-first with links in order
    /// (the order Kubo's <c>dag export</c> writes). A CID is entered only when <paramref name="firstVisit"/> returns
    /// true for it (e.g. <c>HashSet.Add</c>), so each block comes once. Errors as <see cref="WalkAsync"/>.
    /// </summary>
    public static async IAsyncEnumerable<Block> WalkBlocksAsync(
        Cid root,
        IBlockstore blockstore,
        BlockCodecs codecs,
        Func<Cid, bool> firstVisit,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(blockstore);
        ArgumentNullException.ThrowIfNull(codecs);
        ArgumentNullException.ThrowIfNull(firstVisit);
        var pending = new Stack<Cid>();
        pending.Push(root);
        var links = new List<Cid>();
        while (pending.Count > 0)
        {
            Cid cid = pending.Pop();
            if (!firstVisit(cid))
            {
                continue;
            }

            // Every block is fetched, raw leaves too: pinning is how a DAG is brought in and kept whole.
            IBlockCodec codec = codecs.Get(cid.CodecCode);
            ReadOnlyMemory<byte> bytes = await blockstore.GetAsync(cid, cancellationToken);
            yield return new Block(cid, bytes);
            links.Clear();
            codec.CollectLinks(cid, bytes.Span, links);
            for (int i = links.Count - 1; i >= 0; i--)
            {
                pending.Push(links[i]);
            }
        }
    }
}
