using Helia.Core.Repo;

namespace Helia.Cli.Http.Rpc;

/// <summary>The repo's config file, read and replaced whole (Kubo's config commands edit the file, not the running node).</summary>
public interface IRpcConfig
{
    RepoConfig Current { get; }

    /// <summary>Writes <paramref name="change"/> applied to the current config; one change at a time, so none is lost.</summary>
    Task UpdateAsync(Func<RepoConfig, RepoConfig> change, CancellationToken cancellationToken);
}
