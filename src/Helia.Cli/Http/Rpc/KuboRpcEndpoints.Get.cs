using System.Formats.Tar;
using System.Globalization;
using System.IO.Compression;
using Helia.Multiformats;
using Microsoft.AspNetCore.Http;

namespace Helia.Cli.Http.Rpc;

public static partial class KuboRpcEndpoints
{
    /// <summary>The X-Content-Length header go-ipfs-cmds sends with a response whose length it knows (get's size).</summary>
    public const string ContentLengthHeader = "X-Content-Length";

    /// <summary>Longest entry name a ustar header holds; longer names in an archive=true tar go into a PAX header.</summary>
    private const int UstarNameLength = 100;

    /// <summary>
    /// get: the file, directory tree or symlink at ipfs-path as a tar stream, as Kubo's (tar is the transport format
    /// even without archive=true; then PAX headers keep sub-second times). compress=true gzips the output: the file's
    /// bytes themselves for a file, the tar for archive=true, as Kubo's does; compression-level 1-9.
    /// </summary>
    private static void MapGet(Action<string, Func<RpcRequest, Task>> map, KuboRpcBackend backend)
    {
        if (backend.UnixFS is not { } unixfs)
        {
            return;
        }

        map("get", async request =>
        {
            string path = request.RequireArgument("ipfs-path");
            bool archive = request.GetFlag("archive");
            CompressionLevel? compression = GetCompression(request);
            Cid cid = await ResolvePathAsync(unixfs, path, request.Aborted);
            string rootName = ArchiveRootName(path);

            await using IAsyncEnumerator<RpcGetEntry> entries = unixfs.WalkAsync(cid, request.Aborted).GetAsyncEnumerator(request.Aborted);
            if (!await entries.MoveNextAsync())   // a missing or unreadable root fails before the 200
            {
                throw new RpcException($"{path}: nothing to export");
            }

            RpcGetEntry root = entries.Current;
            bool plainGzip = compression is not null && !archive;
            if (plainGzip && root.Kind != RpcEntryKind.File)
            {
                throw new RpcException("file is not regular");
            }

            HttpResponse response = request.Context.Response;
            response.StatusCode = StatusCodes.Status200OK;
            response.ContentType = compression is null ? "application/x-tar" : "application/gzip";
            response.Headers["X-Stream-Output"] = "1";
            response.Headers[ContentLengthHeader] = root.Size.ToString(CultureInfo.InvariantCulture);
            response.Headers.Append("Trailer", RpcResponses.StreamErrorTrailer);
            try
            {
                Stream body = response.Body;
                await using GZipStream? gzip = compression is CompressionLevel level ? new GZipStream(body, level, leaveOpen: true) : null;
                Stream output = gzip ?? body;
                if (plainGzip)
                {
                    await foreach (ReadOnlyMemory<byte> chunk in unixfs.CatAsync(root.Cid, 0, null, request.Aborted))
                    {
                        await output.WriteAsync(chunk, request.Aborted);
                    }

                    return;
                }

                await using var tar = new TarWriter(output, TarEntryFormat.Pax, leaveOpen: true);
                do
                {
                    RpcGetEntry entry = entries.Current;
                    string name = entry.Path.Length == 0 ? rootName : $"{rootName}/{entry.Path}";
                    await WriteTarEntryAsync(tar, unixfs, entry, name, archive, request.Aborted);
                }
                while (await entries.MoveNextAsync());
            }
            catch (Exception ex) when (ex is not OperationCanceledException && response.SupportsTrailers())
            {
                response.AppendTrailer(RpcResponses.StreamErrorTrailer, ex.Message);
            }
        });
    }

    private static async Task WriteTarEntryAsync(TarWriter tar, IRpcUnixFS unixfs, RpcGetEntry entry, string name, bool archive, CancellationToken cancellationToken)
    {
        TarEntryType type = entry.Kind switch
        {
            RpcEntryKind.Directory => TarEntryType.Directory,
            RpcEntryKind.Symlink => TarEntryType.SymbolicLink,
            _ => TarEntryType.RegularFile,
        };

        // archive=true: plain ustar headers where they suffice, as Go's writer picks; otherwise (and for the transport
        // format) PAX, which carries long names, large sizes and sub-second times.
        bool ustar = archive && System.Text.Encoding.UTF8.GetByteCount(name) <= UstarNameLength && entry.Size < (1UL << 33)
            && System.Text.Encoding.UTF8.GetByteCount(entry.SymlinkTarget ?? "") <= UstarNameLength;
        PosixTarEntry tarEntry = ustar ? new UstarTarEntry(type, name) : new PaxTarEntry(type, name);
        tarEntry.Mode = (UnixFileMode)((entry.Mode ?? DefaultMode(entry.Kind)) & 0xFFF);
        tarEntry.ModificationTime = entry.ModTime ?? DateTimeOffset.UtcNow;
        if (entry.Kind == RpcEntryKind.Symlink)
        {
            tarEntry.LinkName = entry.SymlinkTarget!;
        }

        if (entry.Kind != RpcEntryKind.File)
        {
            await tar.WriteEntryAsync(tarEntry, cancellationToken);
            return;
        }

        if (entry.Size > long.MaxValue)
        {
            throw new RpcException($"{name}: a file of {entry.Size} bytes is too large to archive");
        }

        await using var content = new FileContentStream(unixfs.CatAsync(entry.Cid, 0, null, cancellationToken), (long)entry.Size, name);
        tarEntry.DataStream = content;
        await tar.WriteEntryAsync(tarEntry, cancellationToken);
    }

    /// <summary>Kubo's defaults when the DAG has no mode: 0644 for files, 0755 for directories, 0777 for symlinks.</summary>
    private static uint DefaultMode(RpcEntryKind kind) => kind switch
    {
        RpcEntryKind.Directory => 0b111_101_101,
        RpcEntryKind.Symlink => 0b111_111_111,
        _ => 0b110_100_100,
    };

    /// <summary>compress and compression-level as Kubo reads them: no compression unless compress=true; level 1-9.</summary>
    private static CompressionLevel? GetCompression(RpcRequest request)
    {
        long? level = request.GetInt64("compression-level");
        if (!request.GetFlag("compress"))
        {
            return null;
        }

        return level switch
        {
            null => CompressionLevel.Optimal,
            < 1 or > 9 => throw new RpcException("compression level must be between 1 and 9", RpcErrorCode.Client),
            1 => CompressionLevel.Fastest,
            9 => CompressionLevel.SmallestSize,
            _ => CompressionLevel.Optimal,
        };
    }

    /// <summary>The archive's top entry: the last segment of the path, as Kubo names it (the CID for a bare CID).</summary>
    internal static string ArchiveRootName(string path)
    {
        string trimmed = path.Trim().TrimEnd('/');
        int slash = trimmed.LastIndexOf('/');
        string name = slash >= 0 ? trimmed[(slash + 1)..] : trimmed;
        return RpcGetEntry.IsSafeName(name) ? name : throw new RpcException($"invalid path \"{path}\"", RpcErrorCode.Client);
    }
}
