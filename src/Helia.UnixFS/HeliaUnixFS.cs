using Helia.Core.Blocks;
using Helia.Multiformats;
using Helia.UnixFS.Editing;
using Helia.UnixFS.Exporter;
using Helia.UnixFS.Importer;

namespace Helia.UnixFS;

/// <summary>
/// UnixFS over one blockstore, the .NET counterpart of <c>unixfs(helia)</c> from @helia/unixfs: add bytes, streams
/// and paths from disk; cat, ls, stat and get; add and remove directory links. Named HeliaUnixFS rather than UnixFS so
/// that code in <c>Helia.*</c> namespaces does not find the <c>Helia.UnixFS</c> namespace first.
/// </summary>
public sealed class HeliaUnixFS
{
    private readonly IBlockstore _blockstore;
    private readonly ImporterOptions _defaults;

    /// <param name="blockstore">Where blocks are read and written (a session blockstore streams at network speed).</param>
    /// <param name="defaults">The import profile used when a call passes none: <see cref="ImporterOptions.UnixFSV1_2025"/>.</param>
    public HeliaUnixFS(IBlockstore blockstore, ImporterOptions? defaults = null)
    {
        ArgumentNullException.ThrowIfNull(blockstore);
        _blockstore = blockstore;
        _defaults = defaults ?? ImporterOptions.UnixFSV1_2025;
        _defaults.Validate();
        Exporter = new UnixFSExporter(blockstore);
    }

    public UnixFSExporter Exporter { get; }

    /// <summary>Imports bytes as one file (no wrapping directory, like Helia's addBytes).</summary>
    public async Task<Cid> AddBytesAsync(ReadOnlyMemory<byte> bytes, ImporterOptions? options = null, CancellationToken cancellationToken = default)
    {
        using var stream = new MemoryStream(bytes.ToArray(), writable: false);
        return await AddByteStreamAsync(stream, options, cancellationToken);
    }

    /// <summary>Imports a stream, read to its end, as one file (Helia's addByteStream).</summary>
    public async Task<Cid> AddByteStreamAsync(Stream stream, ImporterOptions? options = null, CancellationToken cancellationToken = default) =>
        (await new UnixFSImporter(_blockstore, options ?? _defaults).ImportFileAsync(stream, cancellationToken: cancellationToken)).Cid;

    /// <summary>Imports a file or, recursively, a directory from disk; the CID is the file's or the directory's own.</summary>
    public async Task<Cid> AddPathAsync(string path, ImporterOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= _defaults;
        return (await new UnixFSImporter(_blockstore, options).ImportEntryAsync(DiskSource.FromPath(path, options), cancellationToken)).Cid;
    }

    public IAsyncEnumerable<ReadOnlyMemory<byte>> CatAsync(string path, long offset = 0, long? length = null, CancellationToken cancellationToken = default) =>
        Exporter.CatAsync(path, offset, length, cancellationToken);

    public IAsyncEnumerable<UnixFSLink> LsAsync(string path, CancellationToken cancellationToken = default) =>
        Exporter.LsAsync(path, cancellationToken);

    public ValueTask<UnixFSStat> StatAsync(string path, CancellationToken cancellationToken = default) =>
        Exporter.StatAsync(path, cancellationToken);

    public Task GetAsync(string path, string destination, CancellationToken cancellationToken = default) =>
        Exporter.GetAsync(path, destination, cancellationToken);

    /// <summary>Links <paramref name="target"/> into <paramref name="directory"/> as <paramref name="name"/>; returns the new directory.</summary>
    public Task<Cid> AddLinkAsync(Cid directory, string name, Cid target, bool overwrite = false, CancellationToken cancellationToken = default) =>
        new UnixFSEditor(_blockstore, _defaults).AddLinkAsync(directory, name, target, tsize: null, overwrite, cancellationToken);

    /// <summary>Removes <paramref name="name"/> from <paramref name="directory"/>; returns the new directory.</summary>
    public Task<Cid> RemoveLinkAsync(Cid directory, string name, CancellationToken cancellationToken = default) =>
        new UnixFSEditor(_blockstore, _defaults).RemoveLinkAsync(directory, name, cancellationToken);
}
