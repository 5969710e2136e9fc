namespace Helia.Core.Repo;

/// <summary>An older repo could not be upgraded: no migration for a step, or the step failed (the repo stays at <see cref="Version"/>).</summary>
public sealed class RepoMigrationException : RepoException
{
    public RepoMigrationException(string path, int version, string message)
        : base(path, $"The helia repo {path} (version {version}) cannot be upgraded: {message}")
    {
        Version = version;
    }

    public RepoMigrationException(string path, int version, Exception innerException)
        : base(path, $"The helia repo {path} could not be upgraded from version {version}: {innerException.Message}", innerException)
    {
        Version = version;
    }

    /// <summary>The version the repo is left at.</summary>
    public int Version { get; }
}
