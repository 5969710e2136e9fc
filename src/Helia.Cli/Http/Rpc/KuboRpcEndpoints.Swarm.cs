using Helia.Multiformats;

namespace Helia.Cli.Http.Rpc;

public static partial class KuboRpcEndpoints
{
    private static void MapSwarm(Action<string, Func<RpcRequest, Task>> map, KuboRpcBackend backend)
    {
        if (backend.Swarm is not { } swarm)
        {
            return;
        }

        map("swarm/peers", request =>
        {
            bool direction = request.GetFlag("direction") || request.GetFlag("verbose");
            object[] peers = [.. swarm.GetPeers().Select(p => direction
                ? (object)new { p.Addr, p.Peer, Latency = "", Muxer = "", p.Direction }
                : new { p.Addr, p.Peer, Latency = "", Muxer = "" })];
            return RpcResponses.WriteJsonAsync(request.Context, new { Peers = peers });
        });

        map("swarm/connect", async request =>
        {
            Multiaddr[] addresses = [.. request.RequireArguments("address").Select(RpcRequest.ParseMultiaddr)];
            var lines = new List<string>();
            foreach (Multiaddr address in addresses)
            {
                RpcRequest.RequirePeerId(address);
                PeerId peer = await swarm.ConnectAsync(address, request.Aborted);
                lines.Add($"connect {peer} success");
            }

            await RpcResponses.WriteJsonAsync(request.Context, new { Strings = lines });
        });

        map("swarm/disconnect", async request =>
        {
            Multiaddr[] addresses = [.. request.RequireArguments("address").Select(RpcRequest.ParseMultiaddr)];
            var lines = new List<string>();
            foreach (Multiaddr address in addresses)
            {
                PeerId peer = await swarm.DisconnectAsync(address, request.Aborted);
                lines.Add($"disconnect {peer} success");
            }

            await RpcResponses.WriteJsonAsync(request.Context, new { Strings = lines });
        });

        map("swarm/addrs", request => RpcResponses.WriteJsonAsync(request.Context, new { Addrs = swarm.GetKnownAddresses() }));

        Func<RpcRequest, Task> listen = request => RpcResponses.WriteJsonAsync(
            request.Context,
            new { Strings = swarm.GetListenAddresses().Select(a => a.ToString()).ToArray() });
        map("swarm/addrs/listen", listen);
        map("swarm/addrs/local", listen);
    }
}
