using System.Runtime.CompilerServices;
using Helia.Cli.Http.Rpc;
using Helia.Multiformats;

namespace Helia.Tests.Rpc;

internal sealed class FakeRpcRepo(IReadOnlyList<Cid> garbage) : IRpcRepo
{
    public bool FailAfterFirst { get; init; }

    public async IAsyncEnumerable<Cid> CollectGarbageAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        foreach (Cid cid in garbage)
        {
            await Task.Yield();
            yield return cid;
            if (FailAfterFirst)
            {
                throw new IOException("disk on fire");
            }
        }
    }

    public ValueTask<RpcRepoStat> GetStatAsync(CancellationToken cancellationToken) =>
        ValueTask.FromResult(new RpcRepoStat(1024, 10_000_000_000, 3, "/repo", "fs-repo@1"));
}
