using System.Globalization;
using System.Runtime.CompilerServices;
using Helia.Multiformats;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Helia.Cli.Http.Rpc;

public static partial class KuboRpcEndpoints
{
    /// <summary>Most files and directories one add request may carry.</summary>
    public const int MaxAddEntries = 1_000_000;

    /// <summary>Deepest path one add request may carry.</summary>
    public const int MaxAddDepth = 64;

    private const int MaxSymlinkTarget = 4096;

    private static void MapUnixFS(Action<string, Func<RpcRequest, Task>> map, KuboRpcBackend backend)
    {
        if (backend.UnixFS is not { } unixfs)
        {
            return;
        }

        map("add", request =>
        {
            // Files have no size limit here: the importer streams them into blocks.
            if (request.Context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
            {
                limit.MaxRequestBodySize = null;
            }

            var options = new RpcAddOptions
            {
                CidVersion = (int?)request.GetInt64("cid-version"),
                RawLeaves = request.Context.Request.Query.ContainsKey("raw-leaves") ? request.GetFlag("raw-leaves") : null,
                Chunker = request.GetString("chunker"),
                Hash = request.GetString("hash"),
                OnlyHash = request.GetFlag("only-hash"),
                Profile = request.GetString("profile"),
                Inline = request.GetFlag("inline"),
                InlineLimit = (int?)request.GetInt64("inline-limit"),
                Trickle = request.GetFlag("trickle"),
            };
            bool pin = request.GetFlag("pin", defaultValue: true) && !options.OnlyHash;
            bool wrap = request.GetFlag("wrap-with-directory");
            return RpcResponses.WriteNdjsonAsync(request.Context, AddAsync(request, unixfs, options, wrap, pin ? backend.Pins : null, backend.KeepNewBlocks, request.Aborted));
        });

        map("cat", async request =>
        {
            Cid cid = await ResolvePathAsync(unixfs, request.RequireArgument("ipfs-path"), request.Aborted);
            long offset = request.GetInt64("offset") ?? 0;
            long? length = request.GetInt64("length");
            if (offset < 0 || length < 0)
            {
                throw new RpcException("offset and length must be non-negative", RpcErrorCode.Client);
            }

            await using IAsyncEnumerator<ReadOnlyMemory<byte>> chunks = unixfs.CatAsync(cid, offset, length, request.Aborted).GetAsyncEnumerator(request.Aborted);
            bool more = await chunks.MoveNextAsync();   // a missing or non-file root fails before the 200
            HttpResponse response = request.Context.Response;
            response.StatusCode = StatusCodes.Status200OK;
            response.ContentType = "text/plain";
            response.Headers["X-Stream-Output"] = "1";
            response.Headers.Append("Trailer", RpcResponses.StreamErrorTrailer);
            try
            {
                while (more)
                {
                    await response.Body.WriteAsync(chunks.Current, request.Aborted);
                    more = await chunks.MoveNextAsync();
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException && response.SupportsTrailers())
            {
                response.AppendTrailer(RpcResponses.StreamErrorTrailer, ex.Message);
            }
        });

        MapFilesStat(map, unixfs);
        map("ls", async request =>
        {
            IReadOnlyList<string> paths = request.RequireArguments("ipfs-path");
            Cid[] cids = await ResolvePathsAsync(unixfs, paths, request.Aborted);
            if (request.GetFlag("stream"))
            {
                await RpcResponses.WriteNdjsonAsync(request.Context, LsStreamAsync(unixfs, paths, cids, request.Aborted));
                return;
            }

            var objects = new List<object>();
            for (int i = 0; i < cids.Length; i++)
            {
                var links = new List<RpcLsLink>();
                await foreach (RpcLsLink link in unixfs.ListAsync(cids[i], request.Aborted))
                {
                    links.Add(link);
                }

                objects.Add(new { Hash = paths[i], Links = links });
            }

            await RpcResponses.WriteJsonAsync(request.Context, new { Objects = objects });
        });
    }

    /// <summary>files/stat for /ipfs/ paths (this node has no MFS): the type and sizes of the node a path names.</summary>
    private static void MapFilesStat(Action<string, Func<RpcRequest, Task>> map, IRpcUnixFS unixfs)
    {
        map("files/stat", async request =>
        {
            string path = request.RequireArgument("path");
            if (!path.StartsWith("/ipfs/", StringComparison.Ordinal))
            {
                throw new RpcException($"unsupported path \"{path}\": only /ipfs/ paths can be stat'ed (there is no MFS)", RpcErrorCode.Client);
            }

            Cid cid = await ResolvePathAsync(unixfs, path, request.Aborted);
            await RpcResponses.WriteJsonAsync(request.Context, await unixfs.StatAsync(cid, request.Aborted));
        });
    }

    /// <summary>A CID, or a path below one resolved through its directories.</summary>
    private static ValueTask<Cid> ResolvePathAsync(IRpcUnixFS unixfs, string path, CancellationToken cancellationToken) =>
        RpcRequest.HasSubPath(path) ? unixfs.ResolveAsync(path, cancellationToken) : ValueTask.FromResult(RpcRequest.ParseCidPath(path));

    /// <summary>
    /// Single files stream straight into the importer. Once a directory part arrives (or with wrap-with-directory), the
    /// rest of the upload is spooled to a temporary folder, since the importer reads a directory's files in name order
    /// and a multipart body can only be read forward; the folder is deleted afterwards.
    /// </summary>
    private static async IAsyncEnumerable<object> AddAsync(RpcRequest request, IRpcUnixFS unixfs, RpcAddOptions options, bool wrap, IRpcPins? pins, Func<IDisposable>? keepNewBlocks, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using IDisposable? guard = pins is null ? null : keepNewBlocks?.Invoke();   // until the roots are pinned
        bool any = false;
        List<RpcAddEntry>? tree = wrap ? [] : null;
        string spool = Path.Combine(Path.GetTempPath(), "helia-add-" + Guid.NewGuid().ToString("N"));
        try
        {
            await foreach (RpcUploadPart part in RpcMultipart.ReadPartsAsync(request.Context.Request, cancellationToken))
            {
                any = true;
                if (tree is null && !part.IsDirectory)
                {
                    RpcAdded added = await unixfs.AddFileAsync(part.Content, options, cancellationToken);
                    string hash = added.Cid.ToString();
                    yield return await AddedAsync(part.Name.Length > 0 ? part.Name : hash, added, pins, cancellationToken);
                    continue;
                }

                tree ??= [];
                if (tree.Count >= MaxAddEntries)
                {
                    throw new RpcException($"too many entries in one add (the limit is {MaxAddEntries})", RpcErrorCode.Client);
                }

                string path = CheckAddPath(part.Name);
                if (part.IsDirectory)
                {
                    tree.Add(new RpcAddEntry(path));
                }
                else if (part.IsSymlink)
                {
                    byte[] target = await RpcMultipart.ReadBoundedAsync(part.Content, MaxSymlinkTarget, cancellationToken);
                    tree.Add(new RpcAddEntry(path, SymlinkTarget: System.Text.Encoding.UTF8.GetString(target)));
                }
                else
                {
                    Directory.CreateDirectory(spool);
                    string file = Path.Combine(spool, tree.Count.ToString(CultureInfo.InvariantCulture));
                    await using (FileStream stream = File.Create(file))
                    {
                        await part.Content.CopyToAsync(stream, cancellationToken);
                    }

                    tree.Add(new RpcAddEntry(path, file));
                }
            }

            if (!any && !wrap)
            {
                throw new RpcException("file argument 'path' is required", RpcErrorCode.Client);
            }

            if (tree is not null)
            {
                await foreach (RpcAddedEntry entry in unixfs.AddTreeAsync(tree, wrap, options, cancellationToken))
                {
                    yield return await AddedAsync(entry.Path, entry.Added, entry.IsRoot ? pins : null, cancellationToken);
                }
            }
        }
        finally
        {
            if (Directory.Exists(spool))
            {
                Directory.Delete(spool, recursive: true);
            }
        }
    }

    private static async Task<object> AddedAsync(string name, RpcAdded added, IRpcPins? pins, CancellationToken cancellationToken)
    {
        if (pins is not null)
        {
            await pins.PinAsync(added.Cid, recursive: true, cancellationToken);
        }

        return new { Name = name, Hash = added.Cid.ToString(), Size = added.Size.ToString(CultureInfo.InvariantCulture) };
    }

    /// <summary>A relative upload path with no empty, "." or ".." segment (the names become directory entries).</summary>
    private static string CheckAddPath(string path)
    {
        string[] segments = path.Split('/');
        if (path.Length == 0 || segments.Length > MaxAddDepth || segments.Any(s => s.Length == 0 || s is "." or ".." || s.Contains('\\', StringComparison.Ordinal) || s.Contains('\0', StringComparison.Ordinal)))
        {
            throw new RpcException($"invalid file name \"{path}\" in the upload", RpcErrorCode.Client);
        }

        return path;
    }

    private static async IAsyncEnumerable<object> LsStreamAsync(IRpcUnixFS unixfs, IReadOnlyList<string> paths, Cid[] cids, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        for (int i = 0; i < cids.Length; i++)
        {
            await foreach (RpcLsLink link in unixfs.ListAsync(cids[i], cancellationToken))
            {
                yield return new { Objects = new[] { new { Hash = paths[i], Links = new[] { link } } } };
            }
        }
    }
}
