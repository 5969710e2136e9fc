using System.Diagnostics;
using System.Text.RegularExpressions;
using Helia.Core.Datastore;
using Helia.Core.Repo;
using Helia.Multiformats;
using Helia.Tests.Blocks;

namespace Helia.Tests.Storage;

/// <summary>
/// Crash safety: a child process (tests/Helia.CrashWriter) writes blocks into a repo and is killed with SIGKILL
/// in the middle of it. The repo must then open (the dead process's lock is gone with it), every block it lists or
/// reports having must be whole and hash to its CID, and no temporary file may show up as a block.
/// </summary>
public sealed partial class RepoCrashTests : IDisposable
{
    private const int BlocksBeforeKill = 40;
    private const int SigKillExitCode = 128 + 9;

    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Blocks_WriterKilledMidway_RepoOpens_EveryBlockWholeOrAbsent()
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        string repoPath = _dir.Combine("repo");
        await (await Repo.InitAsync(repoPath, RepoTests.NewConfig(), cancellationToken: ct)).DisposeAsync();

        var reported = new List<Cid>();
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string argument in new[] { Path.Combine(AppContext.BaseDirectory, "Helia.CrashWriter.dll"), repoPath, "100000" })
        {
            start.ArgumentList.Add(argument);
        }

        using Process child = Process.Start(start) ?? throw new InvalidOperationException("The crash writer did not start.");
        Task<string> errors = child.StandardError.ReadToEndAsync(ct);
        try
        {
            TimeSpan limit = TimeSpan.FromSeconds(60);
            string? line = await child.StandardOutput.ReadLineAsync(ct).AsTask().WaitAsync(limit, ct);
            if (line != "open")
            {
                Assert.Fail($"the writer did not open the repo: {line} {await StandardErrorAsync(child, errors)}");
            }

            // While the writer holds the repo, no one else may open it: not this process, not a second daemon.
            await Assert.ThrowsAsync<RepoLockedException>(() => Repo.OpenAsync(repoPath, ct));

            while (reported.Count < BlocksBeforeKill && (line = await child.StandardOutput.ReadLineAsync(ct).AsTask().WaitAsync(limit, ct)) is not null)
            {
                reported.Add(Cid.Parse(line["put ".Length..]));
            }

            if (reported.Count < BlocksBeforeKill)
            {
                Assert.Fail($"the writer stopped after {reported.Count} blocks: {await StandardErrorAsync(child, errors)}");
            }
        }
        finally
        {
            child.Kill(entireProcessTree: true);   // SIGKILL: no finally blocks, no Dispose, no flush in the child
            await child.WaitForExitAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(20), CancellationToken.None);
        }

        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(SigKillExitCode, child.ExitCode);
        }

        await using Repo repo = await Repo.OpenAsync(repoPath, ct);   // the OS dropped the dead writer's lock

        foreach (Cid cid in reported)
        {
            Assert.True(await repo.Blocks.HasAsync(cid, ct), $"reported block {cid} is missing");
            Assert.True(cid.Hash.Matches((await repo.Blocks.GetAsync(cid, ct)).Span));
        }

        int listed = 0;
        await foreach (Cid cid in repo.Blocks.GetAllCidsAsync(ct))
        {
            ReadOnlyMemory<byte> bytes = await repo.Blocks.GetAsync(cid, ct);   // a partial file would fail verification here
            Assert.True(cid.Hash.Matches(bytes.Span), $"block {cid} does not hash to its CID");
            listed++;
        }

        Assert.True(listed >= BlocksBeforeKill, $"{listed} blocks listed");   // the writer may have gone on after the lines we read
        string blocks = Path.Combine(repoPath, Repo.BlocksFolder);
        foreach (string file in Directory.EnumerateFiles(blocks, "*", SearchOption.AllDirectories))
        {
            string relative = Path.GetRelativePath(blocks, file).Replace('\\', '/');
            Assert.True(relative == "SHARDING" || BlockFile().IsMatch(relative), $"unexpected file in blocks/: {relative}");
        }

        // The writer recorded each CID in the datastore after its block: every committed record names a whole block.
        int records = 0;
        await foreach (KeyValuePair<DatastoreKey, ReadOnlyMemory<byte>> record in repo.Datastore.QueryAsync(new DatastoreKey("/crash"), ct))
        {
            Assert.True(Cid.TryRead(record.Value.Span, out Cid cid, out _));
            Assert.True(await repo.Blocks.HasAsync(cid, ct));
            records++;
        }

        Assert.InRange(records, BlocksBeforeKill, listed);
    }

    /// <summary>What the writer printed on standard error, once it has exited (bounded: never waits on a live child).</summary>
    private static async Task<string> StandardErrorAsync(Process child, Task<string> errors) =>
        child.HasExited ? await errors.WaitAsync(TimeSpan.FromSeconds(10), CancellationToken.None) : "(still running)";

    [GeneratedRegex("^[A-Z2-7_]{2}/[A-Z2-7]+\\.data$")]
    private static partial Regex BlockFile();
}
