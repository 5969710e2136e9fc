using Helia.Cli;

namespace Helia.Tests.Cli;

/// <summary>
/// add's and get's progress bar follows Kubo's rule: on standard error only when it is a terminal (or --progress says
/// so), never with -q/-Q or --progress=false; so captured or redirected output holds no bar.
/// </summary>
public sealed class ProgressTests : IDisposable
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(60);
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "helia-progress-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_dir))
        {
            Directory.Delete(_dir, recursive: true);
        }
    }

    [Theory]
    [InlineData(null, false, false)]   // captured (not the console's stderr): no bar by default
    [InlineData(true, false, true)]    // --progress forces it
    [InlineData(true, true, false)]    // but -q/-Q win, as in Kubo's add
    [InlineData(false, false, false)]
    public void ShouldShow_KuboRule(bool? option, bool quiet, bool expected)
    {
        using var captured = new StringWriter();

        Assert.Equal(expected, CliProgress.ShouldShow(option, quiet, captured));
    }

    [Theory]
    [InlineData]
    [InlineData("--progress=false")]
    public async Task AddAndGet_Captured_NoProgressOutput(params string[] extra)
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        string repo = Path.Combine(_dir, "repo");
        string file = Path.Combine(_dir, "big.bin");
        Directory.CreateDirectory(_dir);
        byte[] bytes = new byte[3_000_000];
        new Random(11).NextBytes(bytes);
        await File.WriteAllBytesAsync(file, bytes, ct);
        await CliRunner.RunAsync("init", "--profile", "test", "--repo", repo);

        (int addExit, string added, string addError) = await CliRunner.RunAsync(["add", file, "--repo", repo, .. extra]);
        string cid = added.Split(' ')[1];
        string copy = Path.Combine(_dir, "copy.bin");
        (int getExit, string got, string getError) = await CliRunner.RunAsync(["get", cid, "-o", copy, "--repo", repo, .. extra]);

        Assert.Equal(0, addExit);
        Assert.Equal($"added {cid} big.bin\n", added);
        Assert.Equal("", addError);
        Assert.Equal(0, getExit);
        Assert.Equal($"Saving file(s) to {copy}\n", got);
        Assert.Equal("", getError);
        Assert.Equal(bytes, await File.ReadAllBytesAsync(copy, ct));
    }

    [Fact]
    public async Task Add_RedirectedStderrOfARealProcess_NoProgressOutput()
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        string repo = Path.Combine(_dir, "repo");
        string file = Path.Combine(_dir, "big.bin");
        Directory.CreateDirectory(_dir);
        await File.WriteAllBytesAsync(file, new byte[2_000_000], ct);
        await HeliaProcess.RunOkAsync(s_timeout, ct, "init", "--profile", "test", "--repo", repo);

        (int exit, byte[] stdout, string stderr) = await HeliaProcess.RunAsync(s_timeout, ct, "add", file, "--repo", repo);

        Assert.Equal(0, exit);
        Assert.Matches(@"^added \w+ big\.bin\n$", System.Text.Encoding.UTF8.GetString(stdout));
        Assert.Equal("", stderr);
    }
}
