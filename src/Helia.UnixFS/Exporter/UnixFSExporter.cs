using System.Globalization;
using System.Runtime.CompilerServices;
using Helia.Core.Blocks;
using Helia.Core.Ipld.DagPb;
using Helia.Multiformats;
using Helia.UnixFS.Hamt;

namespace Helia.UnixFS.Exporter;

/// <summary>
/// Reads UnixFS DAGs: resolves <c>CID/a/b/c</c> paths through plain and HAMT-sharded directories, streams file
/// ranges with bounded memory while prefetching the next blocks, lists directories, stats nodes and writes trees to
/// disk. Pass a session blockstore (one that fetches from the peers holding the root) to stream at network speed.
/// </summary>
public sealed class UnixFSExporter
{
    /// <summary>How many sibling blocks are fetched ahead of the one being read, per tree level.</summary>
    public const int DefaultPrefetch = 8;

    /// <summary>The deepest DAG accepted (file trees and shard chains): deeper means malformed or hostile.</summary>
    public const int MaxDepth = 64;

    private readonly IBlockstore _blockstore;
    private readonly int _prefetch;

    public UnixFSExporter(IBlockstore blockstore, int prefetch = DefaultPrefetch)
    {
        ArgumentNullException.ThrowIfNull(blockstore);
        ArgumentOutOfRangeException.ThrowIfLessThan(prefetch, 1);
        _blockstore = blockstore;
        _prefetch = prefetch;
    }

    /// <summary>Loads and decodes one block.</summary>
    public ValueTask<UnixFSNode> GetNodeAsync(Cid cid, CancellationToken cancellationToken = default) =>
        GetNodeAsync(_blockstore, cid, cancellationToken);

    private static async ValueTask<UnixFSNode> GetNodeAsync(IBlockstore blockstore, Cid cid, CancellationToken cancellationToken)
    {
        ReadOnlyMemory<byte> block = await blockstore.GetAsync(cid, cancellationToken);
        return UnixFSNode.Decode(cid, block);
    }

    /// <summary>Resolves <c>CID[/name…]</c> (optionally prefixed with <c>/ipfs/</c>) to the node it names.</summary>
    public async ValueTask<UnixFSNode> ResolveAsync(string path, CancellationToken cancellationToken = default)
    {
        (Cid root, string[] segments) = ParsePath(path);
        UnixFSNode node = await GetNodeAsync(root, cancellationToken);
        string resolved = root.ToString();
        foreach (string segment in segments)
        {
            resolved += "/" + segment;
            if (!node.IsDirectory)
            {
                throw new UnixFSException($"Cannot resolve '{resolved}': {node.Cid} is a {node.Kind}, not a directory.");
            }

            Cid? child = node.Kind == UnixFSEntryKind.Directory
                ? FindPlain(node, segment)
                : await FindShardedAsync(node, segment, cancellationToken);
            node = child is Cid found
                ? await GetNodeAsync(found, cancellationToken)
                : throw new UnixFSPathNotFoundException(resolved, $"'{resolved}' does not exist.");
        }

        return node;
    }

    /// <summary>Streams the bytes of the file at <paramref name="path"/> from <paramref name="offset"/>, at most <paramref name="length"/> of them.</summary>
    public async IAsyncEnumerable<ReadOnlyMemory<byte>> CatAsync(
        string path, long offset = 0, long? length = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        if (length is < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(length), length, "The length must not be negative.");
        }

        UnixFSNode node = await ResolveAsync(path, cancellationToken);
        await foreach (ReadOnlyMemory<byte> chunk in CatAsync(node, offset, length, cancellationToken))
        {
            yield return chunk;
        }
    }

    /// <inheritdoc cref="CatAsync(string, long, long?, CancellationToken)"/>
    public IAsyncEnumerable<ReadOnlyMemory<byte>> CatAsync(Cid cid, long offset = 0, long? length = null, CancellationToken cancellationToken = default) =>
        CatAsync(cid.ToString(), offset, length, cancellationToken);

    /// <summary>Streams a range of an already resolved file node.</summary>
    public IAsyncEnumerable<ReadOnlyMemory<byte>> CatAsync(UnixFSNode node, long offset, long? length, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(node);
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        if (node.Kind is not (UnixFSEntryKind.File or UnixFSEntryKind.RawFile))
        {
            throw new UnixFSException($"{node.Cid} is a {node.Kind}, not a file.");
        }

        ulong size = node.FileSize;
        if ((ulong)offset > size)
        {
            throw new UnixFSException($"Offset {offset} is beyond the end of {node.Cid} ({size} bytes).");
        }

        ulong end = length is long l ? Math.Min(size, (ulong)offset + (ulong)l) : size;

        // A networked blockstore fetches the file's blocks through one session: after the first want-have broadcast,
        // the blocks are asked as want-block of the peers that said they have them (one round trip each, not two).
        IBlockstore blocks = _blockstore is INetworkedBlockstore networked && node.DagPb is { Links.Count: > 0 }
            ? networked.CreateSession(node.Cid)
            : _blockstore;
        return ReadRangeAsync(blocks, node, (ulong)offset, end, 0, cancellationToken);
    }

    /// <summary>Lists the directory at <paramref name="path"/> (plain or sharded), in link order.</summary>
    public async IAsyncEnumerable<UnixFSLink> LsAsync(string path, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        UnixFSNode node = await ResolveAsync(path, cancellationToken);
        await foreach (UnixFSLink link in LsAsync(node, cancellationToken))
        {
            yield return link;
        }
    }

    /// <summary>Lists an already resolved directory node.</summary>
    public IAsyncEnumerable<UnixFSLink> LsAsync(UnixFSNode node, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(node);
        return node.Kind switch
        {
            UnixFSEntryKind.Directory => ListPlain(node).ToAsyncEnumerable(),
            UnixFSEntryKind.ShardedDirectory => ListShardAsync(node, 0, cancellationToken),
            _ => throw new UnixFSException($"{node.Cid} is a {node.Kind}, not a directory."),
        };
    }

    /// <summary>Type, sizes, link count, mode and mtime of the node at <paramref name="path"/>.</summary>
    public async ValueTask<UnixFSStat> StatAsync(string path, CancellationToken cancellationToken = default)
    {
        UnixFSNode node = await ResolveAsync(path, cancellationToken);
        return new UnixFSStat(
            node.Cid,
            node.Kind,
            node.FileSize,
            node.DagSize,
            node.DagPb?.Links.Count ?? 0,
            node.Data?.EffectiveMode ?? UnixFSData.DefaultFileMode,
            node.Data?.Mtime);
    }

    /// <summary>Writes the file, directory tree or symlink at <paramref name="path"/> to <paramref name="destination"/>.</summary>
    public async Task GetAsync(string path, string destination, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(destination);
        UnixFSNode node = await ResolveAsync(path, cancellationToken);
        await WriteToDiskAsync(node, Path.GetFullPath(destination), cancellationToken);
    }

    private async Task WriteToDiskAsync(UnixFSNode node, string destination, CancellationToken cancellationToken)
    {
        switch (node.Kind)
        {
            case UnixFSEntryKind.File or UnixFSEntryKind.RawFile:
                var file = new FileStream(destination, FileMode.Create, FileAccess.Write, FileShare.None, bufferSize: 0, FileOptions.Asynchronous);
                await using (file)
                {
                    await foreach (ReadOnlyMemory<byte> chunk in CatAsync(node, 0, null, cancellationToken))
                    {
                        await file.WriteAsync(chunk, cancellationToken);
                    }
                }

                break;
            case UnixFSEntryKind.Directory or UnixFSEntryKind.ShardedDirectory:
                Directory.CreateDirectory(destination);
                await foreach (UnixFSLink link in LsAsync(node, cancellationToken))
                {
                    if (!IsSafeName(link.Name))
                    {
                        throw new UnixFSException($"Directory {node.Cid} has an entry named '{link.Name}', which cannot be written to disk safely.");
                    }

                    UnixFSNode child = await GetNodeAsync(link.Cid, cancellationToken);
                    await WriteToDiskAsync(child, Path.Combine(destination, link.Name), cancellationToken);
                }

                break;
            case UnixFSEntryKind.Symlink:
                File.CreateSymbolicLink(destination, System.Text.Encoding.UTF8.GetString(node.Data!.Data.Span));
                return;
            default:
                throw new UnixFSException($"{node.Cid} is a {node.Kind}, which cannot be written to disk.");
        }

        if (node.Data?.Mode is uint mode && !OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(destination, (UnixFileMode)(mode & 0xFFF));
        }

        if (node.Data?.Mtime is UnixFSTime mtime)
        {
            if (node.IsDirectory)
            {
                Directory.SetLastWriteTimeUtc(destination, mtime.ToDateTimeOffset().UtcDateTime);
            }
            else
            {
                File.SetLastWriteTimeUtc(destination, mtime.ToDateTimeOffset().UtcDateTime);
            }
        }
    }

    private async IAsyncEnumerable<ReadOnlyMemory<byte>> ReadRangeAsync(
        IBlockstore blocks, UnixFSNode node, ulong start, ulong end, int depth, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        if (depth > MaxDepth)
        {
            throw new UnixFSException($"The file DAG is deeper than {MaxDepth} levels at {node.Cid}.");
        }

        if (start >= end)
        {
            yield break;
        }

        if (node.Data is not UnixFSData data)
        {
            yield return node.Block[(int)start..(int)end];
            yield break;
        }

        ulong own = (ulong)data.Data.Length;
        if (start < own)
        {
            yield return data.Data[(int)start..(int)Math.Min(end, own)];
        }

        // The children overlapping [start, end), each with the range wanted from it.
        IReadOnlyList<PBLink> links = node.DagPb!.Links;
        var wanted = new List<(int Index, ulong From, ulong To)>();
        ulong position = own;
        for (int i = 0; i < links.Count && position < end; i++)
        {
            ulong size = data.BlockSizes[i];
            ulong childEnd = position + size;
            if (childEnd > start && size > 0)
            {
                wanted.Add((i, start > position ? start - position : 0, Math.Min(end, childEnd) - position));
            }

            position = childEnd;
        }

        var pending = new Queue<Task<UnixFSNode>>();
        int next = 0;
        try
        {
            foreach ((int index, ulong from, ulong to) in wanted)
            {
                while (next < wanted.Count && pending.Count < _prefetch)
                {
                    pending.Enqueue(GetNodeAsync(blocks, links[wanted[next++].Index].Hash, cancellationToken).AsTask());
                }

                UnixFSNode child = await pending.Dequeue();
                if (child.Kind is not (UnixFSEntryKind.File or UnixFSEntryKind.RawFile))
                {
                    throw new UnixFSException($"File node {node.Cid} links to {child.Cid}, a {child.Kind}.");
                }

                if (child.FileSize != data.BlockSizes[index])
                {
                    throw new UnixFSException($"File node {node.Cid} declares {data.BlockSizes[index]} bytes for child {index} ({child.Cid}), which holds {child.FileSize}.");
                }

                await foreach (ReadOnlyMemory<byte> chunk in ReadRangeAsync(blocks, child, from, to, depth + 1, cancellationToken))
                {
                    yield return chunk;
                }
            }
        }
        finally
        {
            while (pending.TryDequeue(out Task<UnixFSNode>? prefetched))
            {
                try
                {
                    await prefetched;
                }
                catch (Exception)
                {
                    // A prefetched block nobody reads any more: its failure does not matter.
                }
            }
        }
    }

    private static IEnumerable<UnixFSLink> ListPlain(UnixFSNode node)
    {
        foreach (PBLink link in node.DagPb!.Links)
        {
            yield return new UnixFSLink(link.Name ?? "", link.Hash, link.Tsize ?? 0);
        }
    }

    private async IAsyncEnumerable<UnixFSLink> ListShardAsync(UnixFSNode node, int depth, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        if (depth > MaxDepth)
        {
            throw new UnixFSException($"The HAMT is deeper than {MaxDepth} levels at {node.Cid}.");
        }

        foreach (PBLink link in node.DagPb!.Links)
        {
            string name = link.Name ?? "";
            if (name.Length < 2 || !IsHexPrefix(name))
            {
                throw new UnixFSException($"HAMT node {node.Cid} has a link named '{name}', which has no bucket prefix.");
            }

            if (name.Length > 2)
            {
                yield return new UnixFSLink(name[2..], link.Hash, link.Tsize ?? 0);
                continue;
            }

            UnixFSNode shard = await GetNodeAsync(link.Hash, cancellationToken);
            if (shard.Kind != UnixFSEntryKind.ShardedDirectory)
            {
                throw new UnixFSException($"HAMT node {node.Cid} links bucket {name} to {shard.Cid}, a {shard.Kind}.");
            }

            await foreach (UnixFSLink entry in ListShardAsync(shard, depth + 1, cancellationToken))
            {
                yield return entry;
            }
        }
    }

    private static Cid? FindPlain(UnixFSNode node, string name)
    {
        foreach (PBLink link in node.DagPb!.Links)
        {
            if (link.Name == name)
            {
                return link.Hash;
            }
        }

        return null;
    }

    private async ValueTask<Cid?> FindShardedAsync(UnixFSNode node, string name, CancellationToken cancellationToken)
    {
        var hash = new HamtHash(name);
        for (int level = 0; level <= MaxDepth; level++)
        {
            string prefix = hash.IndexAt(level).ToString("X2", CultureInfo.InvariantCulture);
            PBLink? bucket = null;
            foreach (PBLink link in node.DagPb!.Links)
            {
                if (link.Name is string linkName && linkName.StartsWith(prefix, StringComparison.Ordinal))
                {
                    bucket = link;
                    break;
                }
            }

            if (bucket is null)
            {
                return null;
            }

            if (bucket.Name!.Length > 2)
            {
                return bucket.Name.AsSpan(2).SequenceEqual(name) ? bucket.Hash : null;
            }

            node = await GetNodeAsync(bucket.Hash, cancellationToken);
            if (node.Kind != UnixFSEntryKind.ShardedDirectory)
            {
                throw new UnixFSException($"HAMT bucket {prefix} links to {node.Cid}, a {node.Kind}.");
            }
        }

        throw new UnixFSException($"The HAMT is deeper than {MaxDepth} levels.");
    }

    internal static (Cid Root, string[] Segments) ParsePath(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        string[] parts = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        int first = parts.Length > 1 && parts[0] == "ipfs" && path.StartsWith('/') ? 1 : 0;
        if (parts.Length <= first)
        {
            throw new ArgumentException($"'{path}' names no CID.", nameof(path));
        }

        if (!Cid.TryParse(parts[first], out Cid root))
        {
            throw new ArgumentException($"'{parts[first]}' in '{path}' is not a CID.", nameof(path));
        }

        return (root, parts[(first + 1)..]);
    }

    private static bool IsHexPrefix(string name) => char.IsAsciiHexDigitUpper(name[0]) && char.IsAsciiHexDigitUpper(name[1]);

    private static bool IsSafeName(string name) =>
        name.Length > 0 && name is not ("." or "..") && name.IndexOfAny(['/', '\\', '\0']) < 0;
}
