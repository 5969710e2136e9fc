using Helia.Cli.Http.Rpc;
using Helia.Core.Repo;

namespace Helia.Cli.Daemon;

/// <summary>The open repo's config: changes are written to the file at once and take effect when the node next starts.</summary>
internal sealed class NodeConfig(Repo repo) : IRpcConfig
{
    public RepoConfig Current => repo.Config;

    public Task SaveAsync(RepoConfig config, CancellationToken cancellationToken) => repo.SaveConfigAsync(config, cancellationToken);
}
