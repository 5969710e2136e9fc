using System.Runtime.CompilerServices;
using Helia.Core;
using Helia.Core.Blocks;
using Helia.Core.Car;
using Helia.Core.Ipld;
using Helia.Core.Pins;
using Helia.Multiformats;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Helia.Cli.Http.Rpc;

public static partial class KuboRpcEndpoints
{
    /// <summary>The content type of a CAR (the trustless gateway's name for it).</summary>
    public const string CarContentType = "application/vnd.ipld.car";

    private static void MapDag(Action<string, Func<RpcRequest, Task>> map, KuboRpcBackend backend)
    {
        if (backend.Blocks is not { } blocks)
        {
            return;
        }

        map("dag/export", async request =>
        {
            Cid root = RpcRequest.ParseCidPath(request.RequireArgument("root"));

            // What can fail is checked before the 200, so it is an ordinary error: an HTTP/1.1 response has no trailer
            // to carry an error once the CAR has started. Offline, that is the whole DAG (nothing can arrive later);
            // online, the root and its codec.
            if (backend.LocalBlocks is null || ReferenceEquals(backend.LocalBlocks, blocks))
            {
                await foreach (Cid _ in DagWalker.WalkAsync(root, blocks, backend.Codecs, new HashSet<Multihash>(), request.Aborted))
                {
                }
            }
            else
            {
                backend.Codecs.Get(root.CodecCode);
                await blocks.GetAsync(root, request.Aborted);
            }

            HttpResponse response = request.Context.Response;
            response.StatusCode = StatusCodes.Status200OK;
            response.ContentType = CarContentType;
            response.Headers["X-Stream-Output"] = "1";
            response.Headers.Append("Trailer", RpcResponses.StreamErrorTrailer);
            try
            {
                await CarExporter.ExportAsync(blocks, backend.Codecs, [root], response.BodyWriter, request.Aborted);
            }
            catch (Exception ex) when (ex is not OperationCanceledException && response.SupportsTrailers())
            {
                response.AppendTrailer(RpcResponses.StreamErrorTrailer, ex.Message);
            }
        });

        map("dag/import", request =>
        {
            // A CAR has no size limit here: its blocks stream into the blockstore one at a time.
            if (request.Context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
            {
                limit.MaxRequestBodySize = null;
            }

            bool pinRoots = request.GetFlag("pin-roots", defaultValue: true);
            var options = new CarReaderOptions { MaxBlockLength = request.GetFlag("allow-big-block") ? MaxBigBlockSize : MaxBlockSize };
            return RpcResponses.WriteNdjsonAsync(
                request.Context,
                DagImportAsync(request, blocks, options, pinRoots ? backend : null, request.GetFlag("stats"), request.Aborted));
        });
    }

    /// <summary>
    /// Kubo's dag import: every block of every uploaded CAR is verified and stored, then each root named by a header is
    /// pinned recursively (once, in order), one <c>{"Root": {"Cid": {"/": …}, "PinErrorMsg": …}}</c> line each; a root
    /// whose DAG is incomplete reports the error rather than failing the import. With stats, a last
    /// <c>{"Stats": {"BlockCount": …, "BlockBytesCount": …}}</c> line.
    /// </summary>
    private static async IAsyncEnumerable<object> DagImportAsync(
        RpcRequest request,
        IBlockstore blocks,
        CarReaderOptions options,
        KuboRpcBackend? pinWith,
        bool stats,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        IRpcPins? pins = pinWith?.Pins;
        using IDisposable? guard = pins is null ? null : pinWith!.KeepNewBlocks?.Invoke();   // until the roots are pinned
        var roots = new List<Cid>();
        var seen = new HashSet<Cid>();
        long blockCount = 0;
        long byteCount = 0;
        bool any = false;
        await foreach (RpcUploadPart part in RpcMultipart.ReadPartsAsync(request.Context.Request, cancellationToken))
        {
            if (part.IsDirectory)
            {
                continue;
            }

            any = true;
            await using CarReader reader = CarReader.Create(part.Content, options);
            CarHeader header = await reader.ReadHeaderAsync(cancellationToken);
            foreach (Cid root in header.Roots)
            {
                if (seen.Add(root))
                {
                    roots.Add(root);
                }
            }

            await foreach (Block block in reader.ReadBlocksAsync(cancellationToken))
            {
                await blocks.PutAsync(block.Cid, block.Bytes, cancellationToken);
                blockCount++;
                byteCount += block.Bytes.Length;
            }
        }

        if (!any)
        {
            throw new RpcException("file argument 'path' is required", RpcErrorCode.Client);
        }

        if (pins is not null)
        {
            foreach (Cid root in roots)
            {
                string error = await TryPinAsync(pins, pinWith!.LocalBlocks ?? blocks, pinWith.Codecs, root, cancellationToken);
                yield return new { Root = new { Cid = new Dictionary<string, string> { ["/"] = root.ToString() }, PinErrorMsg = error } };
            }
        }

        if (stats)
        {
            yield return new { Stats = new { BlockCount = blockCount, BlockBytesCount = byteCount } };
        }
    }

    /// <summary>
    /// Pins a root recursively; returns "" or why it could not be pinned (a block missing or undecodable). The DAG is
    /// first checked in the local store alone, as Kubo pins imported roots offline: a block the CAR lacked is an error
    /// at once, not a wait on the network for a block no peer may have.
    /// </summary>
    private static async Task<string> TryPinAsync(IRpcPins pins, IBlockstore local, BlockCodecs codecs, Cid root, CancellationToken cancellationToken)
    {
        try
        {
            await foreach (Cid _ in DagWalker.WalkAsync(root, local, codecs, new HashSet<Multihash>(), cancellationToken))
            {
            }

            await pins.PinAsync(root, recursive: true, cancellationToken);
            return "";
        }
        catch (HeliaException ex)
        {
            return ex is BlockNotFoundException ? $"block was not found locally (offline): {ex.Message}" : ex.Message;
        }
    }
}
