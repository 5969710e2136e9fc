using Helia.Cli.Http.Rpc;
using Helia.Core.Repo;

namespace Helia.Cli.Daemon;

/// <summary>The open repo's config: changes are written to the file at once and take effect when the node next starts.</summary>
internal sealed class NodeConfig(Repo repo) : IRpcConfig
{
    private readonly SemaphoreSlim _writing = new(1, 1);

    public RepoConfig Current => repo.Config;

    public async Task UpdateAsync(Func<RepoConfig, RepoConfig> change, CancellationToken cancellationToken)
    {
        await _writing.WaitAsync(cancellationToken);
        try
        {
            await repo.SaveConfigAsync(change(repo.Config), cancellationToken);
        }
        finally
        {
            _writing.Release();
        }
    }
}
