namespace Helia.Core.Repo;

/// <summary>
/// One step of a repo upgrade, from <paramref name="FromVersion"/> to the next version, given the repo folder (locked,
/// stores not yet open). A step must be safe to run again: if the process dies before the version file says
/// FromVersion + 1, the next open runs it again.
/// </summary>
public sealed record RepoMigration(int FromVersion, string Description, Func<string, CancellationToken, Task> MigrateAsync)
{
    /// <summary>The migrations this build ships: none yet, version 1 is the first layout.</summary>
    public static IReadOnlyList<RepoMigration> Builtin { get; } = [];
}
