using System.Globalization;
using System.Runtime.CompilerServices;
using Helia.Multiformats;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Helia.Cli.Http.Rpc;

public static partial class KuboRpcEndpoints
{
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

            if (request.GetFlag("wrap-with-directory"))
            {
                throw new RpcException("wrap-with-directory is not supported yet");
            }

            var options = new RpcAddOptions
            {
                CidVersion = (int?)request.GetInt64("cid-version"),
                RawLeaves = request.Context.Request.Query.ContainsKey("raw-leaves") ? request.GetFlag("raw-leaves") : null,
                Chunker = request.GetString("chunker"),
                Hash = request.GetString("hash"),
                OnlyHash = request.GetFlag("only-hash"),
            };
            bool pin = request.GetFlag("pin", defaultValue: true) && !options.OnlyHash;
            return RpcResponses.WriteNdjsonAsync(request.Context, AddAsync(request, unixfs, options, pin ? backend.Pins : null, request.Aborted));
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

        map("ls", async request =>
        {
            IReadOnlyList<string> paths = request.RequireArguments("ipfs-path");
            var cids = new Cid[paths.Count];
            for (int i = 0; i < cids.Length; i++)
            {
                cids[i] = await ResolvePathAsync(unixfs, paths[i], request.Aborted);
            }

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

    /// <summary>A CID, or a path below one resolved through its directories.</summary>
    private static ValueTask<Cid> ResolvePathAsync(IRpcUnixFS unixfs, string path, CancellationToken cancellationToken) =>
        RpcRequest.HasSubPath(path) ? unixfs.ResolveAsync(path, cancellationToken) : ValueTask.FromResult(RpcRequest.ParseCidPath(path));

    private static async IAsyncEnumerable<object> AddAsync(RpcRequest request, IRpcUnixFS unixfs, RpcAddOptions options, IRpcPins? pins, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        bool any = false;
        await foreach (RpcUploadPart part in RpcMultipart.ReadPartsAsync(request.Context.Request, cancellationToken))
        {
            if (part.IsDirectory)
            {
                throw new RpcException("adding directories is not supported yet");
            }

            any = true;
            RpcAdded added = await unixfs.AddFileAsync(part.Content, options, cancellationToken);
            if (pins is not null)
            {
                await pins.PinAsync(added.Cid, recursive: true, cancellationToken);
            }

            string hash = added.Cid.ToString();
            yield return new
            {
                Name = part.Name.Length > 0 ? part.Name : hash,
                Hash = hash,
                Size = added.Size.ToString(CultureInfo.InvariantCulture),
            };
        }

        if (!any)
        {
            throw new RpcException("file argument 'path' is required", RpcErrorCode.Client);
        }
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
