using System.Runtime.CompilerServices;
using Helia.Multiformats;

namespace Helia.Cli.Http.Rpc;

public static partial class KuboRpcEndpoints
{
    private static void MapRepo(Action<string, Func<RpcRequest, Task>> map, KuboRpcBackend backend)
    {
        if (backend.Repo is not { } repo)
        {
            return;
        }

        map("repo/gc", request => RpcResponses.WriteNdjsonAsync(request.Context, GcAsync(repo, request.Aborted)));

        Func<RpcRequest, Task> stat = async request =>
        {
            RpcRepoStat stat = await repo.GetStatAsync(request.Aborted);
            object body = request.GetFlag("size-only") ? new { stat.RepoSize, stat.StorageMax } : stat;
            await RpcResponses.WriteJsonAsync(request.Context, body);
        };
        map("repo/stat", stat);
        map("stats/repo", stat);
    }

    private static async IAsyncEnumerable<object> GcAsync(IRpcRepo repo, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (Cid cid in repo.CollectGarbageAsync(cancellationToken))
        {
            yield return new { Key = CidLink(cid) };
        }
    }

    /// <summary>Kubo's JSON CID link: <c>{"/": "bafy…"}</c>.</summary>
    private static Dictionary<string, string> CidLink(Cid cid) => new(1) { ["/"] = cid.ToString() };
}
