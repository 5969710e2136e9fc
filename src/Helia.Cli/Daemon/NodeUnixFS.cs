using System.Runtime.CompilerServices;
using Helia.Cli.Http.Rpc;
using Helia.Core.Blocks;
using Helia.Core.Ipld.DagPb;
using Helia.Multiformats;
using Helia.UnixFS;
using Helia.UnixFS.Exporter;
using Helia.UnixFS.Importer;

namespace Helia.Cli.Daemon;

/// <summary>add, cat, ls and files/stat over HeliaUnixFS (Kubo's defaults: CIDv0 and 256 KiB chunks unless cid-version=1).</summary>
internal sealed class NodeUnixFS(HeliaUnixFS unixfs, IBlockstore blockstore) : IRpcUnixFS
{
    /// <summary>Kubo's cap on inline-limit: an identity CID longer than this is refused.</summary>
    public const int MaxInlineLimit = 128;

    private const int DirectoryType = 1;
    private const int FileType = 2;
    private const int SymlinkType = 4;

    public async ValueTask<RpcAdded> AddFileAsync(Stream content, RpcAddOptions options, CancellationToken cancellationToken)
    {
        ImporterOptions importer = ToImporterOptions(options);
        var importerInstance = new UnixFSImporter(importer.OnlyHash ? null : blockstore, importer);
        DagNode root = await importerInstance.ImportFileAsync(content, cancellationToken: cancellationToken);
        return new RpcAdded(root.Cid, root.Size);
    }

    public async IAsyncEnumerable<RpcAddedEntry> AddTreeAsync(IReadOnlyList<RpcAddEntry> entries, bool wrap, RpcAddOptions options, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ImporterOptions importer = ToImporterOptions(options);
        UploadNode top = UploadNode.Build(entries);
        List<(string Path, ImportEntry Entry)> roots = wrap
            ? [("", new ImportDirectory("", [.. top.Children.Values.Select(c => c.ToImportEntry())]))]
            : [.. top.Children.Values.Select(c => (c.Name, c.ToImportEntry()))];
        var importerInstance = new UnixFSImporter(importer.OnlyHash ? null : blockstore, importer);
        foreach ((string rootPath, ImportEntry entry) in roots)
        {
            DagNode root = await importerInstance.ImportEntryAsync(entry, cancellationToken);
            if (!importer.OnlyHash)
            {
                // Each file and directory below the root, resolved in the blocks just stored (only-hash stores none).
                foreach (string path in UploadNode.DescendantPaths(entry, ""))
                {
                    UnixFSNode node = await unixfs.Exporter.ResolveAsync($"{root.Cid}/{path}", cancellationToken);
                    yield return new RpcAddedEntry(rootPath.Length == 0 ? path : $"{rootPath}/{path}", new RpcAdded(node.Cid, node.DagSize), IsRoot: false);
                }
            }

            yield return new RpcAddedEntry(rootPath, new RpcAdded(root.Cid, root.Size), IsRoot: true);
        }
    }

    public IAsyncEnumerable<ReadOnlyMemory<byte>> CatAsync(Cid cid, long offset, long? length, CancellationToken cancellationToken) =>
        unixfs.Exporter.CatAsync(cid, offset, length, cancellationToken);

    public async ValueTask<Cid> ResolveAsync(string path, CancellationToken cancellationToken) =>
        (await unixfs.Exporter.ResolveAsync(path, cancellationToken)).Cid;

    public async IAsyncEnumerable<RpcLsLink> ListAsync(Cid cid, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        UnixFSNode node = await unixfs.Exporter.GetNodeAsync(cid, cancellationToken);
        if (!node.IsDirectory)
        {
            // Kubo lists any other node's own links: a file's chunks, unnamed; a raw leaf or a single-block file has none.
            foreach (PBLink link in node.DagPb?.Links ?? [])
            {
                yield return link.Hash.Codec == Multicodec.Raw
                    ? new RpcLsLink(link.Name ?? "", link.Hash.ToString(), link.Tsize ?? 0, FileType)
                    : ToLsLink(link.Name ?? "", await unixfs.Exporter.GetNodeAsync(link.Hash, cancellationToken));
            }

            yield break;
        }

        await foreach (UnixFSLink link in unixfs.Exporter.LsAsync(node, cancellationToken))
        {
            yield return ToLsLink(link.Name, await unixfs.Exporter.GetNodeAsync(link.Cid, cancellationToken));
        }
    }

    public async IAsyncEnumerable<RpcGetEntry> WalkAsync(Cid root, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        UnixFSNode node = await unixfs.Exporter.GetNodeAsync(root, cancellationToken);
        await foreach (RpcGetEntry entry in WalkAsync(node, "", 0, cancellationToken))
        {
            yield return entry;
        }
    }

    private async IAsyncEnumerable<RpcGetEntry> WalkAsync(UnixFSNode node, string path, int depth, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        if (depth > UnixFSExporter.MaxDepth)
        {
            throw new RpcException($"{node.Cid}: directories nested deeper than {UnixFSExporter.MaxDepth}");
        }

        uint? mode = node.Data?.Mode;
        DateTimeOffset? modTime = node.Data?.Mtime?.ToDateTimeOffset();
        switch (node.Kind)
        {
            case UnixFSEntryKind.File or UnixFSEntryKind.RawFile:
                yield return new RpcGetEntry(path, RpcEntryKind.File, node.Cid, node.FileSize, Mode: mode, ModTime: modTime);
                break;
            case UnixFSEntryKind.Symlink:
                string target = System.Text.Encoding.UTF8.GetString(node.Data!.Data.Span);
                yield return new RpcGetEntry(path, RpcEntryKind.Symlink, node.Cid, 0, target, mode, modTime);
                break;
            case UnixFSEntryKind.Directory or UnixFSEntryKind.ShardedDirectory:
                yield return new RpcGetEntry(path, RpcEntryKind.Directory, node.Cid, depth == 0 ? node.DagSize : 0, Mode: mode, ModTime: modTime);
                await foreach (UnixFSLink link in unixfs.Exporter.LsAsync(node, cancellationToken))
                {
                    if (!RpcGetEntry.IsSafeName(link.Name))
                    {
                        throw new RpcException($"directory {node.Cid} has an entry named \"{link.Name}\", which cannot be written to disk safely");
                    }

                    UnixFSNode child = await unixfs.Exporter.GetNodeAsync(link.Cid, cancellationToken);
                    await foreach (RpcGetEntry entry in WalkAsync(child, path.Length == 0 ? link.Name : $"{path}/{link.Name}", depth + 1, cancellationToken))
                    {
                        yield return entry;
                    }
                }

                break;
            default:
                throw new RpcException($"{node.Cid} is a {node.Kind} node, which cannot be exported");
        }
    }

    public async ValueTask<RpcFileStat> StatAsync(Cid cid, CancellationToken cancellationToken)
    {
        UnixFSNode node = await unixfs.Exporter.GetNodeAsync(cid, cancellationToken);
        string type = node.IsDirectory ? "directory" : node.Kind == UnixFSEntryKind.Symlink ? "symlink" : "file";
        return new RpcFileStat(cid.ToString(), node.IsDirectory ? 0 : node.FileSize, node.DagSize, node.DagPb?.Links.Count ?? 0, type);
    }

    /// <summary>An ls entry as Kubo resolves it: the child's unixfs_pb type (directory 1, file 2, symlink 4 with its target) and file size.</summary>
    private static RpcLsLink ToLsLink(string name, UnixFSNode child) => child.Kind switch
    {
        UnixFSEntryKind.Directory or UnixFSEntryKind.ShardedDirectory => new RpcLsLink(name, child.Cid.ToString(), 0, DirectoryType),
        UnixFSEntryKind.Symlink => new RpcLsLink(name, child.Cid.ToString(), 0, SymlinkType, System.Text.Encoding.UTF8.GetString(child.Data!.Data.Span)),
        _ => new RpcLsLink(name, child.Cid.ToString(), child.FileSize, FileType),
    };

    private static ImporterOptions ToImporterOptions(RpcAddOptions options)
    {
        ImporterOptions result;
        if (options.Profile is { } profile)
        {
            try
            {
                result = ImporterOptions.FromProfile(profile);
            }
            catch (ArgumentException ex)
            {
                throw new RpcException(ex.Message, RpcErrorCode.Client);
            }

            if (options.CidVersion is int version)
            {
                result = result with { CidVersion = version, RawLeaves = version == 1 || result.RawLeaves };
            }
        }
        else
        {
            result = options.CidVersion == 1 ? ImporterOptions.UnixFSV1_2025 : ImporterOptions.UnixFSV0_2015;
        }

        if (options.Inline || options.InlineLimit is not null)
        {
            int limit = options.InlineLimit ?? ImporterOptions.DefaultInlineLimit;
            if (limit is < 0 or > MaxInlineLimit)
            {
                throw new RpcException($"inline-limit must be between 0 and {MaxInlineLimit}", RpcErrorCode.Client);
            }

            result = result with { InlineLimit = options.Inline ? limit : 0 };
        }
        if (options.RawLeaves is bool rawLeaves)
        {
            result = result with { RawLeaves = rawLeaves };
        }

        if (options.Chunker is { } chunker)
        {
            try
            {
                result = result with { Chunker = Chunker.Parse(chunker) };
            }
            catch (ArgumentException ex)
            {
                throw new RpcException($"unrecognized chunker option: {chunker}: {ex.Message}", RpcErrorCode.Client);
            }
        }

        if (options.Hash is { } hash)
        {
            if (!MulticodecTable.TryParse(hash, out Multicodec code) || !MultihashHashers.TryGet((ulong)code, out _))
            {
                throw new RpcException($"unrecognized hash function: {hash}");
            }

            result = result with { HashFunction = code, CidVersion = 1 };
        }

        result = result with { OnlyHash = options.OnlyHash, Layout = options.Trickle ? FileLayout.Trickle : result.Layout };
        try
        {
            result.Validate();
        }
        catch (ArgumentException ex)
        {
            throw new RpcException(ex.Message, RpcErrorCode.Client);
        }

        return result;
    }
}
