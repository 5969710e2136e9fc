using Helia.Multiformats;

namespace Helia.Cli.Http.Rpc;

/// <summary>Repo maintenance: garbage collection and statistics.</summary>
public interface IRpcRepo
{
    /// <summary>Deletes every block no pin reaches and yields each removed CID.</summary>
    IAsyncEnumerable<Cid> CollectGarbageAsync(CancellationToken cancellationToken);

    ValueTask<RpcRepoStat> GetStatAsync(CancellationToken cancellationToken);
}
