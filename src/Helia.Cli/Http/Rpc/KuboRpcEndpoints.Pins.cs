using System.Runtime.CompilerServices;
using Helia.Multiformats;

namespace Helia.Cli.Http.Rpc;

public static partial class KuboRpcEndpoints
{
    private static readonly string[] s_pinTypes = ["all", "recursive", "direct", "indirect"];

    private static void MapPins(Action<string, Func<RpcRequest, Task>> map, KuboRpcBackend backend)
    {
        if (backend.Pins is not { } pins)
        {
            return;
        }

        map("pin/add", async request =>
        {
            Cid[] cids = await ResolvePathsAsync(backend.UnixFS, request.RequireArguments("ipfs-path"), request.Aborted);
            bool recursive = request.GetFlag("recursive", defaultValue: true);
            foreach (Cid cid in cids)
            {
                await pins.PinAsync(cid, recursive, request.Aborted);
            }

            await RpcResponses.WriteJsonAsync(request.Context, new { Pins = cids.Select(c => c.ToString()).ToArray() });
        });

        map("pin/rm", async request =>
        {
            Cid[] cids = await ResolvePathsAsync(backend.UnixFS, request.RequireArguments("ipfs-path"), request.Aborted);
            bool recursive = request.GetFlag("recursive", defaultValue: true);
            foreach (Cid cid in cids)
            {
                await pins.UnpinAsync(cid, recursive, request.Aborted);
            }

            await RpcResponses.WriteJsonAsync(request.Context, new { Pins = cids.Select(c => c.ToString()).ToArray() });
        });

        map("pin/ls", async request =>
        {
            string type = request.GetString("type") ?? "all";
            if (!s_pinTypes.Contains(type))
            {
                throw new RpcException($"invalid type '{type}', must be one of {{direct, indirect, recursive, all}}", RpcErrorCode.Client);
            }

            Cid[] cids = [.. request.Arguments.Select(RpcRequest.ParseCidPath)];
            IAsyncEnumerable<RpcPin> listed = cids.Length > 0 ? LookUpPinsAsync(pins, cids, type, request.Aborted) : pins.ListAsync(type, request.Aborted);
            if (request.GetFlag("stream"))
            {
                await RpcResponses.WriteNdjsonAsync(request.Context, ToPinObjectsAsync(listed, request.Aborted));
                return;
            }

            var keys = new Dictionary<string, object>(StringComparer.Ordinal);
            await foreach (RpcPin pin in listed)
            {
                keys[pin.Cid.ToString()] = new { pin.Type, pin.Name };
            }

            await RpcResponses.WriteJsonAsync(request.Context, new { Keys = keys });
        });
    }

    /// <summary>CIDs from CID or CID/path arguments (paths resolved through UnixFS directories when the node has UnixFS).</summary>
    private static async Task<Cid[]> ResolvePathsAsync(IRpcUnixFS? unixfs, IReadOnlyList<string> paths, CancellationToken cancellationToken)
    {
        var cids = new Cid[paths.Count];
        for (int i = 0; i < cids.Length; i++)
        {
            cids[i] = unixfs is null ? RpcRequest.ParseCidPath(paths[i]) : await ResolvePathAsync(unixfs, paths[i], cancellationToken);
        }

        return cids;
    }

    private static async IAsyncEnumerable<RpcPin> LookUpPinsAsync(IRpcPins pins, Cid[] cids, string type, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        foreach (Cid cid in cids)
        {
            RpcPin? pin = await pins.GetAsync(cid, cancellationToken);
            if (pin is null || (type != "all" && pin.Type != type))
            {
                throw new RpcException($"path '{cid}' is not pinned");
            }

            yield return pin;
        }
    }

    private static async IAsyncEnumerable<object> ToPinObjectsAsync(IAsyncEnumerable<RpcPin> pins, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (RpcPin pin in pins.WithCancellation(cancellationToken))
        {
            yield return new { Cid = pin.Cid.ToString(), pin.Type, pin.Name };
        }
    }
}
