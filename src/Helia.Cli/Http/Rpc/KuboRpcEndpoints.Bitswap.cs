using Helia.Multiformats;

namespace Helia.Cli.Http.Rpc;

public static partial class KuboRpcEndpoints
{
    private static void MapBitswap(Action<string, Func<RpcRequest, Task>> map, KuboRpcBackend backend)
    {
        if (backend.Bitswap is not { } bitswap)
        {
            return;
        }

        Func<RpcRequest, Task> stat = request =>
        {
            RpcBitswapStat stat = bitswap.GetStat();
            return RpcResponses.WriteJsonAsync(request.Context, new
            {
                ProvideBufLen = 0,
                Wantlist = stat.Wantlist.Select(CidLink).ToArray(),
                stat.Peers,
                stat.BlocksReceived,
                stat.DataReceived,
                stat.BlocksSent,
                stat.DataSent,
                stat.DupBlksReceived,
                stat.DupDataReceived,
                stat.MessagesReceived,
            });
        };
        map("bitswap/stat", stat);
        map("stats/bitswap", stat);

        map("bitswap/wantlist", request =>
        {
            PeerId? peer = null;
            if (request.GetString("peer") is { } text)
            {
                peer = PeerId.TryParse(text, out PeerId parsed) ? parsed : throw new RpcException($"invalid peer id \"{text}\"");
            }

            return RpcResponses.WriteJsonAsync(request.Context, new { Keys = bitswap.GetWantlist(peer).Select(CidLink).ToArray() });
        });
    }
}
