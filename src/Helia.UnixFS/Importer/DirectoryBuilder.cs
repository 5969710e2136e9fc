using System.Text;
using Helia.Core.Ipld.DagPb;
using Helia.Multiformats;

namespace Helia.UnixFS.Importer;

/// <summary>
/// Imports a directory tree depth-first. A directory becomes a HAMT when its estimated size is strictly greater than
/// <see cref="ImporterOptions.ShardSplitThresholdBytes"/>. As in the JS reference importer, a sub-directory that has
/// entries counts for nothing in its parent's estimate (it has no CID yet when the parent is measured), while files,
/// symlinks and empty directories count with their name, CID and (for block-bytes) Tsize.
/// </summary>
internal sealed class DirectoryBuilder(BlockWriter writer, ImporterOptions options)
{
    public FileBuilder Files { get; } = new(writer, options);

    public async Task<DagNode> ImportAsync(ImportEntry entry, CancellationToken cancellationToken)
    {
        switch (entry)
        {
            case ImportFile file:
                Stream stream = await file.Open(cancellationToken);
                await using (stream)
                {
                    return await Files.ImportAsync(stream, file.Mode, file.Mtime, cancellationToken);
                }

            case ImportSymlink symlink:
                var data = new UnixFSData(UnixFSType.Symlink)
                {
                    Data = Encoding.UTF8.GetBytes(symlink.Target),
                    Mode = symlink.Mode,
                    Mtime = symlink.Mtime,
                };
                byte[] block = DagPbCodec.Encode(new PBNode(data.Encode()));
                return new DagNode(await writer.PutAsync(block, Multicodec.DagPb, cancellationToken), (ulong)block.Length, 0);
            case ImportDirectory directory:
                return await ImportDirectoryAsync(directory, cancellationToken);
            default:
                throw new ArgumentException($"Unknown import entry type {entry.GetType().Name}.", nameof(entry));
        }
    }

    private async Task<DagNode> ImportDirectoryAsync(ImportDirectory directory, CancellationToken cancellationToken)
    {
        var children = new List<(string Name, DagNode Node)>(directory.Entries.Count);
        var names = new HashSet<string>(StringComparer.Ordinal);
        long estimate = options.ShardSplitStrategy == ShardSplitStrategy.BlockBytes
            ? ProtoWire.BytesFieldLength(new UnixFSData(UnixFSType.Directory) { Mode = directory.Mode, Mtime = directory.Mtime }.GetEncodedLength())
            : 0;
        foreach (ImportEntry entry in directory.Entries)
        {
            ValidateName(entry.Name);
            if (!names.Add(entry.Name))
            {
                throw new ArgumentException($"Directory '{directory.Name}' has two entries named '{entry.Name}'.", nameof(directory));
            }

            DagNode node = await ImportAsync(entry, cancellationToken);
            children.Add((entry.Name, node));
            if (entry is not ImportDirectory { Entries.Count: > 0 })
            {
                estimate += EstimateLink(options.ShardSplitStrategy, entry.Name, node);
            }
        }

        if (estimate > options.ShardSplitThresholdBytes)
        {
            return await HamtBuilder.BuildAsync(children, directory.Mode, directory.Mtime, writer, cancellationToken);
        }

        var links = new List<PBLink>(children.Count);
        ulong childrenSize = 0;
        foreach ((string name, DagNode node) in children)
        {
            links.Add(new PBLink(node.Cid, name, node.Size));
            childrenSize += node.Size;
        }

        var data = new UnixFSData(UnixFSType.Directory) { Mode = directory.Mode, Mtime = directory.Mtime };
        byte[] block = DagPbCodec.Encode(new PBNode(PBNode.SortLinks(links), data.Encode()));
        Cid cid = await writer.PutAsync(block, Multicodec.DagPb, cancellationToken);
        return new DagNode(cid, (ulong)block.Length + childrenSize, 0);
    }

    /// <summary>What one link adds to a directory's estimated size.</summary>
    internal static long EstimateLink(ShardSplitStrategy strategy, string name, DagNode node)
    {
        int nameLength = Encoding.UTF8.GetByteCount(name);
        int cidLength = node.Cid.Bytes.Length;
        if (strategy == ShardSplitStrategy.LinksBytes)
        {
            return nameLength + cidLength;
        }

        int link = ProtoWire.BytesFieldLength(cidLength) + ProtoWire.BytesFieldLength(nameLength) + ProtoWire.VarintFieldLength(node.Size);
        return ProtoWire.BytesFieldLength(link);
    }

    internal static void ValidateName(string name)
    {
        if (string.IsNullOrEmpty(name) || name is "." or ".." || name.Contains('/', StringComparison.Ordinal))
        {
            throw new ArgumentException($"'{name}' is not a valid UnixFS entry name.", nameof(name));
        }
    }
}
