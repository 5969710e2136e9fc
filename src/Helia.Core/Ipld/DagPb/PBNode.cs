namespace Helia.Core.Ipld.DagPb;

/// <summary>
/// A dag-pb node: links (sorted by name when encoded) and optional opaque data. <see cref="Data"/> is <c>null</c> when
/// the field is absent, which encodes differently from present but empty.
/// </summary>
public sealed class PBNode
{
    public PBNode(IReadOnlyList<PBLink> links, ReadOnlyMemory<byte>? data = null)
    {
        ArgumentNullException.ThrowIfNull(links);
        Links = links;
        Data = data;
    }

    public PBNode(ReadOnlyMemory<byte>? data)
        : this([], data)
    {
    }

    public IReadOnlyList<PBLink> Links { get; }

    public ReadOnlyMemory<byte>? Data { get; }

    /// <summary>Sorts links the way dag-pb requires (stable, by name bytes) into a new list.</summary>
    public static List<PBLink> SortLinks(IEnumerable<PBLink> links)
    {
        ArgumentNullException.ThrowIfNull(links);
        List<PBLink> sorted = [.. links];
        // List.Sort is not stable; sort indexes to keep equal names in their original order.
        PBLink[] items = [.. sorted];
        int[] order = new int[items.Length];
        for (int i = 0; i < order.Length; i++)
        {
            order[i] = i;
        }

        Array.Sort(order, (a, b) =>
        {
            int byName = PBLink.CompareByName(items[a], items[b]);
            return byName != 0 ? byName : a.CompareTo(b);
        });
        for (int i = 0; i < order.Length; i++)
        {
            sorted[i] = items[order[i]];
        }

        return sorted;
    }
}
