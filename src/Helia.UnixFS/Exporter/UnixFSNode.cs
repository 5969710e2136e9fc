using Helia.Core.Ipld.DagPb;
using Helia.Multiformats;

namespace Helia.UnixFS.Exporter;

/// <summary>A decoded UnixFS block: a raw leaf, or a dag-pb node with its UnixFS Data.</summary>
public sealed class UnixFSNode
{
    internal UnixFSNode(Cid cid, ReadOnlyMemory<byte> block, PBNode? dagPb, UnixFSData? data)
    {
        Cid = cid;
        Block = block;
        DagPb = dagPb;
        Data = data;
    }

    public Cid Cid { get; }

    /// <summary>The block's bytes.</summary>
    public ReadOnlyMemory<byte> Block { get; }

    /// <summary>The dag-pb node; <c>null</c> for raw blocks.</summary>
    public PBNode? DagPb { get; }

    /// <summary>The UnixFS Data; <c>null</c> for raw blocks.</summary>
    public UnixFSData? Data { get; }

    public UnixFSEntryKind Kind => Data?.Type switch
    {
        null => UnixFSEntryKind.RawFile,
        UnixFSType.Directory => UnixFSEntryKind.Directory,
        UnixFSType.HamtShard => UnixFSEntryKind.ShardedDirectory,
        UnixFSType.Symlink => UnixFSEntryKind.Symlink,
        UnixFSType.Metadata => UnixFSEntryKind.Metadata,
        _ => UnixFSEntryKind.File,
    };

    public bool IsDirectory => Kind is UnixFSEntryKind.Directory or UnixFSEntryKind.ShardedDirectory;

    /// <summary>The file bytes this node stands for (0 for directories and symlinks' targets are their data).</summary>
    public ulong FileSize => Data is null ? (ulong)Block.Length : Data.FileSize;

    /// <summary>The cumulative size: this block plus the Tsize of every link.</summary>
    public ulong DagSize
    {
        get
        {
            ulong size = (ulong)Block.Length;
            if (DagPb is not null)
            {
                foreach (PBLink link in DagPb.Links)
                {
                    size += link.Tsize ?? 0;
                }
            }

            return size;
        }
    }

    /// <summary>Decodes a block by its CID's codec (raw or dag-pb); anything else is a <see cref="UnixFSException"/>.</summary>
    public static UnixFSNode Decode(Cid cid, ReadOnlyMemory<byte> block)
    {
        switch (cid.Codec)
        {
            case Multicodec.Raw:
                return new UnixFSNode(cid, block, null, null);
            case Multicodec.DagPb:
                PBNode node;
                UnixFSData data;
                try
                {
                    node = DagPbCodec.Decode(block);
                    data = node.Data is ReadOnlyMemory<byte> bytes
                        ? UnixFSData.Decode(bytes)
                        : throw new UnixFSException($"Block {cid} is dag-pb without UnixFS Data.");
                }
                catch (DagPbException e)
                {
                    throw new UnixFSException($"Block {cid} is not valid dag-pb: {e.Message}", e);
                }
                catch (UnixFSException e) when (e.InnerException is null)
                {
                    throw new UnixFSException($"Block {cid} has invalid UnixFS Data: {e.Message}", e);
                }

                Validate(cid, node, data);
                return new UnixFSNode(cid, block, node, data);
            default:
                throw new UnixFSException($"Block {cid} has codec {cid.Codec}, which UnixFS does not use.");
        }
    }

    private static void Validate(Cid cid, PBNode node, UnixFSData data)
    {
        switch (data.Type)
        {
            case UnixFSType.File or UnixFSType.Raw:
                if (node.Links.Count != data.BlockSizes.Count)
                {
                    throw new UnixFSException($"File node {cid} has {node.Links.Count} links but {data.BlockSizes.Count} blocksizes.");
                }

                if (data.DeclaredFileSize is ulong declared && declared != data.FileSize)
                {
                    throw new UnixFSException($"File node {cid} declares {declared} bytes but its data and blocksizes add up to {data.FileSize}.");
                }

                break;
            case UnixFSType.HamtShard:
                if (data.Fanout != ImporterFanout || data.HashType != UnixFSData.HamtHashType)
                {
                    throw new UnixFSException($"HAMT node {cid} has fanout {data.Fanout} and hash 0x{data.HashType:x}; only 256 and murmur3-x64-64 (0x22) are supported.");
                }

                break;
            case UnixFSType.Symlink or UnixFSType.Directory or UnixFSType.Metadata:
                break;
        }
    }

    private const ulong ImporterFanout = Importer.ImporterOptions.HamtFanout;
}
