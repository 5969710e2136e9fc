using System.Text;
using Helia.Core.Blocks;
using Helia.Core.Ipld.DagPb;
using Helia.Multiformats;

namespace Helia.Tests.Pins;

/// <summary>Builds small dag-pb trees with raw leaves in a blockstore.</summary>
internal static class TestDag
{
    public static async Task<Cid> PutLeafAsync(IBlockstore store, string text, CancellationToken cancellationToken)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(text);
        Cid cid = Cid.Compute(Multicodec.Raw, bytes);
        await store.PutAsync(cid, bytes, cancellationToken);
        return cid;
    }

    public static async Task<Cid> PutNodeAsync(IBlockstore store, IEnumerable<Cid> children, CancellationToken cancellationToken)
    {
        var links = children.Select((c, i) => new PBLink(c, $"child{i:d3}", 1)).ToList();
        byte[] bytes = DagPbCodec.Encode(new PBNode(PBNode.SortLinks(links), new byte[] { 8, 1 }));
        Cid cid = Cid.CreateV1(Multicodec.DagPb, Multihash.Compute(Multicodec.Sha2_256, bytes));
        await store.PutAsync(cid, bytes, cancellationToken);
        return cid;
    }

    /// <summary>root -> (mid -> leaf a, leaf b), leaf c. Returns root and every CID in it.</summary>
    public static async Task<(Cid Root, Cid[] All)> PutTreeAsync(IBlockstore store, string tag, CancellationToken cancellationToken)
    {
        Cid a = await PutLeafAsync(store, tag + " a", cancellationToken);
        Cid b = await PutLeafAsync(store, tag + " b", cancellationToken);
        Cid c = await PutLeafAsync(store, tag + " c", cancellationToken);
        Cid mid = await PutNodeAsync(store, [a, b], cancellationToken);
        Cid root = await PutNodeAsync(store, [mid, c], cancellationToken);
        return (root, [root, mid, a, b, c]);
    }
}
