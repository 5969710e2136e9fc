using Helia.Core.Repo;

namespace Helia.Cli.Http.Rpc;

/// <summary>The repo's config file, read and replaced whole (Kubo's config commands edit the file, not the running node).</summary>
public interface IRpcConfig
{
    RepoConfig Current { get; }

    Task SaveAsync(RepoConfig config, CancellationToken cancellationToken);
}
