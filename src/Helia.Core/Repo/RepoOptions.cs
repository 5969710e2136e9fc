using Helia.Core.Blocks;
using Helia.Core.Datastore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Helia.Core.Repo;

/// <summary>How the repo's stores behave (not stored in the repo: these are this process's choices).</summary>
public sealed class RepoOptions
{
    public FlatFsBlockstoreOptions Blocks { get; init; } = new();

    public SqliteDatastoreOptions Datastore { get; init; } = new();

    public ILoggerFactory LoggerFactory { get; init; } = NullLoggerFactory.Instance;

    /// <summary>The upgrade steps an older repo is taken through when opened (<see cref="RepoMigration.Builtin"/>).</summary>
    public IReadOnlyList<RepoMigration> Migrations { get; init; } = RepoMigration.Builtin;

    /// <summary>The version open upgrades to and the newest it accepts; <see cref="Repo.CurrentVersion"/> but in tests.</summary>
    internal int TargetVersion { get; init; } = Repo.CurrentVersion;

    public void Validate()
    {
        ArgumentNullException.ThrowIfNull(Blocks);
        ArgumentNullException.ThrowIfNull(Datastore);
        ArgumentNullException.ThrowIfNull(LoggerFactory);
        ArgumentNullException.ThrowIfNull(Migrations);
        Blocks.Validate();
        Datastore.Validate();
    }
}
