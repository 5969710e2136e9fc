using System.Text.Json;
using System.Text.Json.Nodes;

namespace Helia.Tests.Cli;

public sealed class NodeCommandsTests : IDisposable
{
    private readonly string _repo = Path.Combine(Path.GetTempPath(), "helia-cli-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_repo))
        {
            Directory.Delete(_repo, recursive: true);
        }
    }

    [Fact]
    public async Task Init_CreatesIdentity_SecondInitFails()
    {
        (int exitCode, string output, _) = await CliRunner.RunAsync("init", "--profile", "test", "--repo", _repo);
        (int again, _, string error) = await CliRunner.RunAsync("init", "--repo", _repo);

        Assert.Equal(0, exitCode);
        Assert.Matches(@"peer identity: 12D3KooW\w+", output);
        Assert.True(File.Exists(Path.Combine(_repo, "config")));
        Assert.Equal(1, again);
        Assert.Contains("already exists", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Id_Offline_PrintsKuboFields()
    {
        (_, string initOutput, _) = await CliRunner.RunAsync("init", "--profile", "test", "--repo", _repo);

        (int exitCode, string output, string error) = await CliRunner.RunAsync("id", "--repo", _repo);

        Assert.True(exitCode == 0, error);
        using JsonDocument id = JsonDocument.Parse(output);
        string peer = id.RootElement.GetProperty("ID").GetString()!;
        Assert.Contains(peer, initOutput, StringComparison.Ordinal);
        Assert.False(string.IsNullOrEmpty(id.RootElement.GetProperty("PublicKey").GetString()));
        Assert.StartsWith("helia", id.RootElement.GetProperty("AgentVersion").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AddThenCat_Offline_RoundTripsBytes()
    {
        await CliRunner.RunAsync("init", "--profile", "test", "--repo", _repo);
        string file = Path.Combine(_repo, "hello.txt");
        await File.WriteAllTextAsync(file, "Hello World", TestContext.Current.CancellationToken);

        (int addExit, string added, string addError) = await CliRunner.RunAsync("add", "--cid-version", "1", "-q", file, "--repo", _repo);
        (int catExit, string cat, _) = await CliRunner.RunAsync("cat", added.Trim(), "--repo", _repo);

        Assert.True(addExit == 0, addError);
        Assert.Equal("bafkreiffsgtnic7uebaeuaixgph3pmmq2ywglpylzwrswv5so7m23hyuny", added.Trim());
        Assert.Equal(0, catExit);
        Assert.Equal("Hello World", cat);
    }

    [Fact]
    public async Task Commands_WithoutRepo_TellToRunInit()
    {
        (int exitCode, _, string error) = await CliRunner.RunAsync("id", "--repo", _repo);

        Assert.Equal(1, exitCode);
        Assert.Contains("helia init", error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Swarm_WithoutDaemon_SaysOnlineModeIsNeeded()
    {
        await CliRunner.RunAsync("init", "--profile", "test", "--repo", _repo);

        (int exitCode, _, string error) = await CliRunner.RunAsync("swarm", "peers", "--repo", _repo);

        Assert.Equal(1, exitCode);
        Assert.Contains("online mode", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cat_MalformedCid_IsCleanError()
    {
        await CliRunner.RunAsync("init", "--profile", "test", "--repo", _repo);

        (int exitCode, _, string error) = await CliRunner.RunAsync("cat", "not-a-cid", "--repo", _repo);

        Assert.Equal(1, exitCode);
        Assert.Contains("not-a-cid", error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Daemon_ServesCommandsOnline_LocksRepo_StopsOnShutdown()
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        await CliRunner.RunAsync("init", "--profile", "test", "--repo", _repo);
        var output = new SignalingWriter("Daemon is ready");
        using var error = new StringWriter();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        Task<int> daemon = Helia.Cli.HeliaCommandLine.InvokeAsync(
            ["daemon", "--repo", _repo, "--listen", "/ip4/127.0.0.1/tcp/0", "--api", "/ip4/127.0.0.1/tcp/0", "--no-mdns"], output, error, stop.Token);
        try
        {
            await Task.WhenAny(output.Ready, daemon).WaitAsync(TimeSpan.FromSeconds(30), ct);
            Assert.True(output.Ready.IsCompleted, $"daemon did not start: {output} {error}");
            Assert.Matches(@"Swarm listening on /ip4/127\.0\.0\.1/tcp/\d+", output.ToString());
            Assert.Matches(@"RPC API server listening on /ip4/127\.0\.0\.1/tcp/\d+", output.ToString());
            Assert.True(File.Exists(Path.Combine(_repo, "api")));

            (int idExit, string id, string idError) = await CliRunner.RunAsync("id", "--repo", _repo);
            Assert.True(idExit == 0, idError);
            Assert.Contains("/ip4/127.0.0.1/tcp/", id, StringComparison.Ordinal);   // online: the daemon's addresses

            (int peersExit, _, string peersError) = await CliRunner.RunAsync("swarm", "peers", "--repo", _repo);
            Assert.True(peersExit == 0, peersError);

            (int shutdownExit, _, string shutdownError) = await CliRunner.RunAsync("shutdown", "--repo", _repo);
            Assert.True(shutdownExit == 0, shutdownError);
            Assert.Equal(0, await daemon.WaitAsync(TimeSpan.FromSeconds(20), ct));
            Assert.False(File.Exists(Path.Combine(_repo, "api")));
        }
        finally
        {
            await stop.CancelAsync();
            await daemon.WaitAsync(TimeSpan.FromSeconds(20), CancellationToken.None);
        }
    }

    [Theory]
    [InlineData(0)]
    [InlineData(2)]
    public async Task Daemon_ApiAddressesFromConfig_ServesOnEachOrRunsWithoutApi(int count)
    {
        // Kubo's Addresses.API may hold several addresses (each served, the first written to the api file) or none.
        CancellationToken ct = TestContext.Current.CancellationToken;
        await CliRunner.RunAsync("init", "--profile", "test", "--repo", _repo);
        string configFile = Path.Combine(_repo, "config");
        JsonNode config = JsonNode.Parse(await File.ReadAllTextAsync(configFile, ct))!;
        var api = new JsonArray();
        for (int i = 0; i < count; i++)
        {
            api.Add("/ip4/127.0.0.1/tcp/0");
        }

        config["Addresses"]!["API"] = api;
        await File.WriteAllTextAsync(configFile, config.ToJsonString(), ct);
        var output = new SignalingWriter("Daemon is ready");
        using var error = new StringWriter();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        Task<int> daemon = Helia.Cli.HeliaCommandLine.InvokeAsync(
            ["daemon", "--repo", _repo, "--listen", "/ip4/127.0.0.1/tcp/0", "--no-mdns"], output, error, stop.Token);
        try
        {
            await Task.WhenAny(output.Ready, daemon).WaitAsync(TimeSpan.FromSeconds(30), ct);
            Assert.True(output.Ready.IsCompleted, $"daemon did not start: {output} {error}");
            string[] apiLines = [.. output.ToString().Split('\n').Where(line => line.StartsWith("RPC API server listening on ", StringComparison.Ordinal))];
            Assert.Equal(count, apiLines.Length);
            Assert.Equal(count > 0, File.Exists(Path.Combine(_repo, "api")));
            if (count > 0)
            {
                Assert.Equal(apiLines[0]["RPC API server listening on ".Length..].Trim(), (await File.ReadAllTextAsync(Path.Combine(_repo, "api"), ct)).Trim());
                (int idExit, _, string idError) = await CliRunner.RunAsync("id", "--repo", _repo);
                Assert.True(idExit == 0, idError);
            }
        }
        finally
        {
            await stop.CancelAsync();
            await daemon.WaitAsync(TimeSpan.FromSeconds(20), CancellationToken.None);
        }

        Assert.False(File.Exists(Path.Combine(_repo, "api")));
    }

    [Theory]
    [InlineData("/ip4/0.0.0.0/tcp/5001", "/ip4/127.0.0.1/tcp/5001")]
    [InlineData("/ip6/::/tcp/5001", "/ip6/::1/tcp/5001")]
    [InlineData("/ip4/192.0.2.7/tcp/5001", "/ip4/192.0.2.7/tcp/5001")]
    public void DaemonApiFile_UnspecifiedAddress_NamesLoopback(string bound, string written)
    {
        Assert.Equal(written, Helia.Cli.Commands.DaemonCommand.DialableAddress(Helia.Multiformats.Multiaddr.Parse(bound)).ToString());
    }
}
