using System.Text.Json;
using Helia.Tests.Blocks;

namespace Helia.Tests.Cli;

/// <summary>
/// Issue 8's end-to-end test with the built `helia` program: two repos, two daemons on 127.0.0.1 (port 0, no mDNS),
/// a 10 MiB file added on the first, `swarm connect` from the second, `cat` there, bytes compared, both shut down.
/// </summary>
public sealed class TwoDaemonsEndToEndTests : IDisposable
{
    private static readonly TimeSpan s_command = TimeSpan.FromSeconds(60);
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task TwoDaemons_AddOnOne_SwarmConnect_CatOnOther_SameBytes()
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        string repoA = _dir.Combine("a");
        string repoB = _dir.Combine("b");
        await using HeliaProcess daemonA = await HeliaProcess.InitAndStartLoopbackDaemonAsync(repoA, s_command, ct);
        await using HeliaProcess daemonB = await HeliaProcess.InitAndStartLoopbackDaemonAsync(repoB, s_command, ct);

        byte[] content = new byte[10 << 20];
        new Random(8).NextBytes(content);
        string file = _dir.Combine("ten-mib.bin");
        await File.WriteAllBytesAsync(file, content, ct);
        string cid = (await HeliaProcess.RunOkAsync(s_command, ct, "add", "-Q", file, "--repo", repoA)).Trim();

        using JsonDocument id = JsonDocument.Parse(await HeliaProcess.RunOkAsync(s_command, ct, "id", "--repo", repoA));
        string address = id.RootElement.GetProperty("Addresses").EnumerateArray().Select(a => a.GetString()!).First(a => a.StartsWith("/ip4/127.0.0.1/tcp/", StringComparison.Ordinal));
        string connected = await HeliaProcess.RunOkAsync(s_command, ct, "swarm", "connect", address, "--repo", repoB);
        string peers = await HeliaProcess.RunOkAsync(s_command, ct, "swarm", "peers", "--repo", repoB);
        (int catExit, byte[] fetched, string catError) = await HeliaProcess.RunAsync(s_command, ct, "cat", cid, "--repo", repoB);

        Assert.StartsWith("Qm", cid, StringComparison.Ordinal);   // Kubo's default: CIDv0
        Assert.Contains("success", connected, StringComparison.Ordinal);
        Assert.Contains(id.RootElement.GetProperty("ID").GetString()!, peers, StringComparison.Ordinal);
        Assert.True(catExit == 0, catError);
        Assert.Equal(content.Length, fetched.Length);
        Assert.True(content.AsSpan().SequenceEqual(fetched), "the bytes cat returned differ from the file added");

        await HeliaProcess.RunOkAsync(s_command, ct, "shutdown", "--repo", repoA);
        await HeliaProcess.RunOkAsync(s_command, ct, "shutdown", "--repo", repoB);
        Assert.Equal(0, await daemonA.WaitForExitAsync(s_command, ct));
        Assert.Equal(0, await daemonB.WaitForExitAsync(s_command, ct));
        Assert.False(File.Exists(Path.Combine(repoA, "api")));
    }
}
