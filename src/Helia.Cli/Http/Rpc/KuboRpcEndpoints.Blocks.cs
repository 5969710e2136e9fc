using System.Runtime.CompilerServices;
using Helia.Core.Blocks;
using Helia.Multiformats;
using Microsoft.AspNetCore.Http;

namespace Helia.Cli.Http.Rpc;

public static partial class KuboRpcEndpoints
{
    /// <summary>Kubo's block size limit for block put (bitswap does not carry larger blocks).</summary>
    public const int MaxBlockSize = 2 * 1024 * 1024;

    /// <summary>The limit with allow-big-block: still bounded, so one request cannot fill memory.</summary>
    public const int MaxBigBlockSize = 64 * 1024 * 1024;

    private static void MapBlocks(Action<string, Func<RpcRequest, Task>> map, KuboRpcBackend backend)
    {
        if (backend.Blocks is not { } blocks)
        {
            return;
        }

        map("block/get", async request =>
        {
            Cid cid = RpcRequest.ParseCidPath(request.RequireArgument("cid"));
            ReadOnlyMemory<byte> bytes = await blocks.GetAsync(cid, request.Aborted);
            HttpResponse response = request.Context.Response;
            response.ContentType = "application/vnd.ipld.raw";
            response.Headers["X-Stream-Output"] = "1";
            response.ContentLength = bytes.Length;
            await response.Body.WriteAsync(bytes, request.Aborted);
        });

        map("block/stat", async request =>
        {
            Cid cid = RpcRequest.ParseCidPath(request.RequireArgument("cid"));
            int size = await GetBlockSizeAsync(blocks, cid, request.Aborted);
            await RpcResponses.WriteJsonAsync(request.Context, new { Key = cid.ToString(), Size = size });
        });

        map("block/put", request => RpcResponses.WriteNdjsonAsync(request.Context, BlockPutAsync(request, blocks, backend, request.Aborted)));

        map("block/rm", request =>
        {
            IReadOnlyList<string> arguments = request.RequireArguments("cid");
            Cid[] cids = [.. arguments.Select(RpcRequest.ParseCidPath)];
            return RpcResponses.WriteNdjsonAsync(request.Context, BlockRmAsync(cids, request.GetFlag("force"), blocks, backend.Pins, request.Aborted));
        });
    }

    internal static async ValueTask<int> GetBlockSizeAsync(IBlockstore blocks, Cid cid, CancellationToken cancellationToken) =>
        blocks is BlockstoreBase store
            ? await store.GetSizeAsync(cid, cancellationToken)
            : (await blocks.GetAsync(cid, cancellationToken)).Length;

    private static async IAsyncEnumerable<object> BlockPutAsync(RpcRequest request, IBlockstore blocks, KuboRpcBackend backend, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        (int version, Multicodec codec) = ParseBlockFormat(request);
        Multicodec hash = Multicodec.Sha2_256;
        if (request.GetString("mhtype") is { } mhtype && !MulticodecTable.TryParse(mhtype, out hash))
        {
            throw new RpcException($"unrecognized multihash function: {mhtype}");
        }

        if (!MultihashHashers.TryGet((ulong)hash, out var hasher))
        {
            throw new RpcException($"unsupported multihash function: {request.GetString("mhtype")}");
        }

        long? mhlen = request.GetInt64("mhlen");
        if (mhlen is not null and not -1 && mhlen != hasher.DigestLength)
        {
            throw new RpcException($"unsupported multihash length {mhlen} for {hasher.Name}");
        }

        if (version == 0 && hash != Multicodec.Sha2_256)
        {
            throw new RpcException("CIDv0 only supports sha2-256");
        }

        bool pin = request.GetFlag("pin");
        using IDisposable? guard = pin ? backend.KeepNewBlocks?.Invoke() : null;   // until the block is pinned
        int limit = request.GetFlag("allow-big-block") ? MaxBigBlockSize : MaxBlockSize;
        bool any = false;
        await foreach (RpcUploadPart part in RpcMultipart.ReadPartsAsync(request.Context.Request, cancellationToken))
        {
            if (part.IsDirectory)
            {
                continue;
            }

            any = true;
            byte[] bytes = await RpcMultipart.ReadBoundedAsync(part.Content, limit, cancellationToken);
            Multihash multihash = hasher.ComputeMultihash(bytes);
            Cid cid = version == 0 ? Cid.CreateV0(multihash) : Cid.CreateV1(codec, multihash);
            await blocks.PutAsync(cid, bytes, cancellationToken);
            if (pin && backend.Pins is { } pins)
            {
                await pins.PinAsync(cid, recursive: true, cancellationToken);
            }

            yield return new { Key = cid.ToString(), Size = bytes.Length };
        }

        if (!any)
        {
            throw new RpcException("file argument 'data' is required", RpcErrorCode.Client);
        }
    }

    private static (int Version, Multicodec Codec) ParseBlockFormat(RpcRequest request)
    {
        string? format = request.GetString("format");
        string? codecName = request.GetString("cid-codec");
        if (format is not null && codecName is not null)
        {
            throw new RpcException("unable to use \"format\" (deprecated) and a custom \"cid-codec\" at the same time", RpcErrorCode.Client);
        }

        switch (format)
        {
            case null:
                break;
            case "v0":
            case "protobuf":
                return (0, Multicodec.DagPb);
            case "cbor":
                return (1, Multicodec.DagCbor);
            case "raw":
                return (1, Multicodec.Raw);
            default:
                throw new RpcException($"unrecognized format: {format}");
        }

        if (codecName is null)
        {
            return (1, Multicodec.Raw);
        }

        return MulticodecTable.TryParse(codecName, out Multicodec codec)
            ? (1, codec)
            : throw new RpcException($"unrecognized codec: {codecName}");
    }

    private static async IAsyncEnumerable<object> BlockRmAsync(Cid[] cids, bool force, IBlockstore blocks, IRpcPins? pins, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        foreach (Cid cid in cids)
        {
            string error = "";
            if (pins is not null && await pins.GetAsync(cid, cancellationToken) is { } pinned)
            {
                error = $"pinned: {pinned.Type}";
            }
            else if (!await blocks.HasAsync(cid, cancellationToken))
            {
                if (force)
                {
                    continue;
                }

                error = $"ipld: could not find {cid}";
            }
            else
            {
                await blocks.DeleteAsync(cid, cancellationToken);
            }

            yield return new { Hash = cid.ToString(), Error = error };
        }
    }
}
