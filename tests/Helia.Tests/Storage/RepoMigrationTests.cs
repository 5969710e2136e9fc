using Helia.Core.IO;
using Helia.Core.Repo;
using Helia.Tests.Blocks;

namespace Helia.Tests.Storage;

/// <summary>An older repo is upgraded on open, one step (N to N+1) at a time; and the directory fsync the atomic writes use.</summary>
public sealed class RepoMigrationTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private string RepoPath => _dir.Combine("repo");

    public void Dispose() => _dir.Dispose();

    /// <summary>A repo of the current layout whose version file then claims an older one, as a fake older repo.</summary>
    private async Task MakeRepoAtVersionAsync(int version)
    {
        await (await Repo.InitAsync(RepoPath, RepoTests.NewConfig(), cancellationToken: Ct)).DisposeAsync();
        await File.WriteAllTextAsync(Path.Combine(RepoPath, Repo.VersionFileName), $"{version}\n", Ct);
    }

    private static RepoMigration Step(int from, List<int> ran) => new(from, $"step {from}", async (path, ct) =>
    {
        ran.Add(from);
        await File.WriteAllTextAsync(Path.Combine(path, $"migrated-{from}"), "", ct);
    });

    [Fact]
    public async Task Open_OlderVersion_RunsEachStepInOrder_AndRecordsTheNewVersion()
    {
        await MakeRepoAtVersionAsync(1);
        List<int> ran = [];
        var options = new RepoOptions { Migrations = [Step(2, ran), Step(1, ran)], TargetVersion = 3 };

        await using (Repo repo = await Repo.OpenAsync(RepoPath, options, Ct))
        {
            Assert.Equal(3, repo.Version);
        }

        Assert.Equal([1, 2], ran);
        Assert.True(File.Exists(Path.Combine(RepoPath, "migrated-2")));
        Assert.Equal(3, await Repo.ReadVersionAsync(RepoPath, Ct));
        await using Repo again = await Repo.OpenAsync(RepoPath, options, Ct);   // nothing left to do
        Assert.Equal([1, 2], ran);
    }

    [Fact]
    public async Task Open_StepFails_RepoStaysAtTheLastCompletedVersion_AndTheLockIsReleased()
    {
        await MakeRepoAtVersionAsync(1);
        List<int> ran = [];
        var failing = new RepoMigration(2, "breaks", (_, _) => throw new IOException("disk on fire"));
        var options = new RepoOptions { Migrations = [Step(1, ran), failing], TargetVersion = 3 };

        RepoMigrationException ex = await Assert.ThrowsAsync<RepoMigrationException>(() => Repo.OpenAsync(RepoPath, options, Ct));

        Assert.Equal(2, ex.Version);
        Assert.Contains("disk on fire", ex.Message, StringComparison.Ordinal);
        Assert.Equal(2, await Repo.ReadVersionAsync(RepoPath, Ct));
        await using Repo fixedUp = await Repo.OpenAsync(RepoPath, new RepoOptions { Migrations = [Step(2, ran)], TargetVersion = 3 }, Ct);
        Assert.Equal([1, 2], ran);
    }

    [Fact]
    public async Task Open_NoMigrationForAStep_ClearError()
    {
        await MakeRepoAtVersionAsync(1);

        RepoMigrationException ex = await Assert.ThrowsAsync<RepoMigrationException>(
            () => Repo.OpenAsync(RepoPath, new RepoOptions { Migrations = [], TargetVersion = 2 }, Ct));

        Assert.Contains("no migration from version 1 to 2", ex.Message, StringComparison.Ordinal);
        Assert.Equal(1, await Repo.ReadVersionAsync(RepoPath, Ct));
    }

    [Fact]
    public async Task Open_CurrentVersion_BuiltinMigrationsAreAChain()
    {
        await MakeRepoAtVersionAsync(Repo.CurrentVersion);

        await using Repo repo = await Repo.OpenAsync(RepoPath, Ct);

        Assert.Equal(Repo.CurrentVersion, repo.Version);
        Assert.All(RepoMigration.Builtin, m => Assert.InRange(m.FromVersion, 1, Repo.CurrentVersion - 1));
        Assert.Equal(RepoMigration.Builtin.Count, RepoMigration.Builtin.Select(m => m.FromVersion).Distinct().Count());
    }

    [Fact]
    public void DirectorySync_FlushesOnUnix_NoOpOnWindows_MissingFolderIsIOException()
    {
        string folder = _dir.Combine("synced");
        Directory.CreateDirectory(folder);

        bool flushed = DirectorySync.Flush(folder);

        Assert.Equal(!OperatingSystem.IsWindows(), flushed);
        if (!OperatingSystem.IsWindows())
        {
            IOException ex = Assert.Throws<IOException>(() => DirectorySync.Flush(_dir.Combine("missing")));
            Assert.Contains("missing", ex.Message, StringComparison.Ordinal);
            Assert.Contains("errno 2", ex.Message, StringComparison.Ordinal);   // ENOENT
        }
    }
}
