using Helia.Core.Blocks;
using Helia.Core.Ipld.DagPb;
using Helia.Multiformats;
using Helia.UnixFS.Exporter;
using Helia.UnixFS.Importer;

namespace Helia.UnixFS.Editing;

/// <summary>
/// Adds and removes directory entries, producing the new directory's CID (what MFS builds on). The new node keeps the
/// directory's CID version, hash function, mode and mtime. A plain directory that grows past the sharding threshold of
/// <paramref name="options"/> becomes a HAMT; a HAMT is rebuilt from its entries, which yields the canonical shape the
/// reference implementations reach by inserting and deleting.
/// </summary>
public sealed class UnixFSEditor(IBlockstore blockstore, ImporterOptions? options = null)
{
    private readonly UnixFSExporter _exporter = new(blockstore);
    private readonly ImporterOptions _options = options ?? ImporterOptions.UnixFSV1_2025;

    /// <summary>
    /// Links <paramref name="target"/> as <paramref name="name"/> in <paramref name="directory"/>. <paramref name="tsize"/>
    /// is the cumulative size of the target's DAG, read from the target's block when <c>null</c>; an existing entry of
    /// that name is replaced only when <paramref name="overwrite"/> is set.
    /// </summary>
    public async Task<Cid> AddLinkAsync(
        Cid directory, string name, Cid target, ulong? tsize = null, bool overwrite = false, CancellationToken cancellationToken = default)
    {
        DirectoryBuilder.ValidateName(name);
        UnixFSNode node = await LoadDirectoryAsync(directory, cancellationToken);
        ulong size = tsize ?? (await _exporter.GetNodeAsync(target, cancellationToken)).DagSize;
        List<(string Name, DagNode Node)> entries = await ReadEntriesAsync(node, cancellationToken);
        int existing = entries.FindIndex(e => e.Name == name);
        if (existing >= 0)
        {
            if (!overwrite)
            {
                throw new UnixFSException($"Directory {directory} already has an entry named '{name}'.");
            }

            entries.RemoveAt(existing);
        }

        entries.Add((name, new DagNode(target, size, 0)));
        return await WriteAsync(node, entries, cancellationToken);
    }

    /// <summary>Removes the entry <paramref name="name"/> from <paramref name="directory"/>.</summary>
    public async Task<Cid> RemoveLinkAsync(Cid directory, string name, CancellationToken cancellationToken = default)
    {
        UnixFSNode node = await LoadDirectoryAsync(directory, cancellationToken);
        List<(string Name, DagNode Node)> entries = await ReadEntriesAsync(node, cancellationToken);
        int index = entries.FindIndex(e => e.Name == name);
        if (index < 0)
        {
            throw new UnixFSPathNotFoundException($"{directory}/{name}", $"Directory {directory} has no entry named '{name}'.");
        }

        entries.RemoveAt(index);
        return await WriteAsync(node, entries, cancellationToken);
    }

    private async Task<UnixFSNode> LoadDirectoryAsync(Cid directory, CancellationToken cancellationToken)
    {
        UnixFSNode node = await _exporter.GetNodeAsync(directory, cancellationToken);
        return node.IsDirectory ? node : throw new UnixFSException($"{directory} is a {node.Kind}, not a directory.");
    }

    private async Task<List<(string Name, DagNode Node)>> ReadEntriesAsync(UnixFSNode node, CancellationToken cancellationToken)
    {
        var entries = new List<(string Name, DagNode Node)>();
        await foreach (UnixFSLink link in _exporter.LsAsync(node, cancellationToken))
        {
            entries.Add((link.Name, new DagNode(link.Cid, link.Tsize, 0)));
        }

        return entries;
    }

    private async Task<Cid> WriteAsync(UnixFSNode original, List<(string Name, DagNode Node)> entries, CancellationToken cancellationToken)
    {
        UnixFSData data = original.Data!;
        ImporterOptions options = _options with
        {
            CidVersion = original.Cid.Version,
            HashFunction = original.Cid.Hash.Algorithm,
            InlineLimit = 0,
            OnlyHash = false,
        };
        var writer = new BlockWriter(blockstore, options);
        if (original.Kind == UnixFSEntryKind.ShardedDirectory || IsOverThreshold(entries, data, options))
        {
            return (await HamtBuilder.BuildAsync(entries, data.Mode, data.Mtime, writer, cancellationToken)).Cid;
        }

        var links = new List<PBLink>(entries.Count);
        foreach ((string name, DagNode node) in entries)
        {
            links.Add(new PBLink(node.Cid, name, node.Size));
        }

        var directory = new UnixFSData(UnixFSType.Directory) { Mode = data.Mode, Mtime = data.Mtime };
        byte[] block = DagPbCodec.Encode(new PBNode(PBNode.SortLinks(links), directory.Encode()));
        return await writer.PutAsync(block, Multicodec.DagPb, cancellationToken);
    }

    private static bool IsOverThreshold(List<(string Name, DagNode Node)> entries, UnixFSData data, ImporterOptions options)
    {
        long estimate = options.ShardSplitStrategy == ShardSplitStrategy.BlockBytes
            ? ProtoWire.BytesFieldLength(new UnixFSData(UnixFSType.Directory) { Mode = data.Mode, Mtime = data.Mtime }.GetEncodedLength())
            : 0;
        foreach ((string name, DagNode node) in entries)
        {
            estimate += DirectoryBuilder.EstimateLink(options.ShardSplitStrategy, name, node);
        }

        return estimate > options.ShardSplitThresholdBytes;
    }
}
