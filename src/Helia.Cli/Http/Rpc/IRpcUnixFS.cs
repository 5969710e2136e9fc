using Helia.Multiformats;

namespace Helia.Cli.Http.Rpc;

/// <summary>UnixFS import and export for add, cat, ls and files/stat.</summary>
public interface IRpcUnixFS
{
    /// <summary>Imports one file's bytes and returns its root CID and the size Kubo reports (the DAG's cumulative size).</summary>
    ValueTask<RpcAdded> AddFileAsync(Stream content, RpcAddOptions options, CancellationToken cancellationToken);

    /// <summary>
    /// Imports a directory upload (entries in upload order, parents before children) and reports every file and
    /// directory, each directory after its contents, roots last. With <paramref name="wrap"/> every top-level entry goes
    /// into one unnamed directory, the only root.
    /// </summary>
    IAsyncEnumerable<RpcAddedEntry> AddTreeAsync(IReadOnlyList<RpcAddEntry> entries, bool wrap, RpcAddOptions options, CancellationToken cancellationToken);

    /// <summary>Streams a file's bytes from <paramref name="offset"/>, at most <paramref name="length"/> of them.</summary>
    IAsyncEnumerable<ReadOnlyMemory<byte>> CatAsync(Cid cid, long offset, long? length, CancellationToken cancellationToken);

    /// <summary>Resolves <c>CID/name/…</c> through the directories on the way to the CID it names.</summary>
    ValueTask<Cid> ResolveAsync(string path, CancellationToken cancellationToken);

    /// <summary>
    /// What Kubo's ls lists: a directory's entries, or a file's own links (its chunks, unnamed); nothing for a raw leaf,
    /// a single-block file or a symlink.
    /// </summary>
    IAsyncEnumerable<RpcLsLink> ListAsync(Cid cid, CancellationToken cancellationToken);

    /// <summary>
    /// The file, directory or symlink <paramref name="root"/> and everything below it, each directory before its
    /// entries (in link order), for get's archive. Entry names that cannot be written to disk safely are refused.
    /// </summary>
    IAsyncEnumerable<RpcGetEntry> WalkAsync(Cid root, CancellationToken cancellationToken);

    /// <summary>Type and sizes of one node, as files/stat reports them.</summary>
    ValueTask<RpcFileStat> StatAsync(Cid cid, CancellationToken cancellationToken);
}
