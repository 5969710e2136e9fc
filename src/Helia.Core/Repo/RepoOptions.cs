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

    public void Validate()
    {
        ArgumentNullException.ThrowIfNull(Blocks);
        ArgumentNullException.ThrowIfNull(Datastore);
        ArgumentNullException.ThrowIfNull(LoggerFactory);
        Blocks.Validate();
        Datastore.Validate();
    }
}
