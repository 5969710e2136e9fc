using Helia.Core.Ipld.DagPb;
using Helia.Multiformats;
using Helia.UnixFS.Hamt;

namespace Helia.UnixFS.Importer;

/// <summary>
/// Builds a HAMT-sharded directory (fanout 256, murmur3-x64-64) from its links. Each bucket links to an entry as
/// "XX" + name (XX: the bucket index in upper-case hex) or to a sub-shard as "XX". The structure depends only on the
/// set of names, so the result is the one the reference implementations produce.
/// </summary>
internal static class HamtBuilder
{
    private const int Fanout = ImporterOptions.HamtFanout;

    public static async ValueTask<DagNode> BuildAsync(
        IReadOnlyList<(string Name, DagNode Node)> entries, uint? mode, UnixFSTime? mtime, BlockWriter writer, CancellationToken cancellationToken)
    {
        var root = new Bucket();
        foreach ((string name, DagNode node) in entries)
        {
            Insert(root, new Entry(name, node, new HamtHash(name)), 0);
        }

        return await FlushAsync(root, mode, mtime, writer, cancellationToken);
    }

    private static void Insert(Bucket bucket, Entry entry, int level)
    {
        int index = entry.Hash.IndexAt(level);
        switch (bucket.Slots[index])
        {
            case null:
                bucket.Slots[index] = entry;
                break;
            case Bucket child:
                Insert(child, entry, level + 1);
                break;
            case Entry existing when existing.Name == entry.Name:
                bucket.Slots[index] = entry;
                break;
            case Entry existing:
                var split = new Bucket();
                bucket.Slots[index] = split;
                Insert(split, existing, level + 1);
                Insert(split, entry, level + 1);
                break;
        }
    }

    private static async ValueTask<DagNode> FlushAsync(Bucket bucket, uint? mode, UnixFSTime? mtime, BlockWriter writer, CancellationToken cancellationToken)
    {
        var links = new List<PBLink>();
        byte[] bitfield = new byte[Fanout / 8];
        ulong childrenSize = 0;
        for (int i = 0; i < Fanout; i++)
        {
            object? slot = bucket.Slots[i];
            if (slot is null)
            {
                continue;
            }

            bitfield[bitfield.Length - 1 - (i / 8)] |= (byte)(1 << (i % 8));
            string prefix = i.ToString("X2", System.Globalization.CultureInfo.InvariantCulture);
            DagNode node;
            string name;
            if (slot is Bucket child)
            {
                node = await FlushAsync(child, mode: null, mtime: null, writer, cancellationToken);
                name = prefix;
            }
            else
            {
                var entry = (Entry)slot;
                node = entry.Node;
                name = prefix + entry.Name;
            }

            links.Add(new PBLink(node.Cid, name, node.Size));
            childrenSize += node.Size;
        }

        int firstUsed = Array.FindIndex(bitfield, b => b != 0);
        var data = new UnixFSData(UnixFSType.HamtShard)
        {
            Data = firstUsed < 0 ? ReadOnlyMemory<byte>.Empty : bitfield.AsMemory(firstUsed),
            HashType = UnixFSData.HamtHashType,
            Fanout = Fanout,
            Mode = mode,
            Mtime = mtime,
        };
        byte[] block = DagPbCodec.Encode(new PBNode(PBNode.SortLinks(links), data.Encode()));
        Cid cid = await writer.PutAsync(block, Multicodec.DagPb, cancellationToken);
        return new DagNode(cid, (ulong)block.Length + childrenSize, 0);
    }

    private sealed class Bucket
    {
        public object?[] Slots { get; } = new object?[Fanout];
    }

    private sealed record Entry(string Name, DagNode Node, HamtHash Hash);
}
