using System.Text.Json;
using Helia.Tests.Blocks;

namespace Helia.Tests.Cli;

public sealed class ConfigCommandTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    private string Repo => _dir.Combine("repo");

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Config_GetSetBoolAndJson_AsKuboDoes()
    {
        await CliRunner.RunAsync("init", "--profile", "test", "--repo", Repo);

        (int getExit, string api, string getError) = await CliRunner.RunAsync("config", "Addresses.API", "--repo", Repo);
        (int boolExit, string boolOutput, string boolError) = await CliRunner.RunAsync("config", "Discovery.MDNS.Enabled", "false", "--bool", "--repo", Repo);
        (int jsonExit, _, string jsonError) = await CliRunner.RunAsync("config", "--json", "Addresses.Swarm", """["/ip4/127.0.0.1/tcp/4005"]""", "--repo", Repo);
        (_, string mdns, _) = await CliRunner.RunAsync("config", "Discovery.MDNS.Enabled", "--repo", Repo);
        (_, string swarm, _) = await CliRunner.RunAsync("config", "Addresses.Swarm", "--repo", Repo);

        Assert.True(getExit == 0, getError);
        Assert.Equal("/ip4/127.0.0.1/tcp/0", api.Trim());
        Assert.True(boolExit == 0, boolError);
        Assert.Equal("", boolOutput);
        Assert.True(jsonExit == 0, jsonError);
        Assert.Equal("false", mdns.Trim());
        Assert.Equal(["/ip4/127.0.0.1/tcp/4005"], JsonSerializer.Deserialize<string[]>(swarm)!);
        using JsonDocument file = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(Repo, "config"), TestContext.Current.CancellationToken));
        Assert.False(file.RootElement.GetProperty("Discovery").GetProperty("MDNS").GetProperty("Enabled").GetBoolean());
        Assert.Equal("/ip4/127.0.0.1/tcp/4005", file.RootElement.GetProperty("Addresses").GetProperty("Swarm")[0].GetString());
    }

    [Fact]
    public async Task ConfigShow_PrintsTheConfigWithoutThePrivateKey()
    {
        (_, string init, _) = await CliRunner.RunAsync("init", "--profile", "test", "--repo", Repo);
        await CliRunner.RunAsync("config", "Gateway.RootRedirect", "/a+b<c>é", "--repo", Repo);

        (int exitCode, string output, string error) = await CliRunner.RunAsync("config", "show", "--repo", Repo);

        Assert.True(exitCode == 0, error);
        using JsonDocument shown = JsonDocument.Parse(output);
        JsonElement identity = shown.RootElement.GetProperty("Identity");
        Assert.Contains(identity.GetProperty("PeerID").GetString()!, init, StringComparison.Ordinal);
        Assert.False(identity.TryGetProperty("PrivKey", out _));
        Assert.Contains("\"RootRedirect\": \"/a+b<c>é\"", output, StringComparison.Ordinal);   // escaped only where JSON requires, as Kubo prints
        Assert.Equal("/ip4/127.0.0.1/tcp/0", shown.RootElement.GetProperty("Addresses").GetProperty("API").GetString());
    }

    [Theory]
    [InlineData("cannot show or change private key", "Identity.PrivKey")]
    [InlineData("cannot show or change private key", "identity")]
    [InlineData("cannot change the identity", "Identity.PeerID", "12D3KooWD3eckifWpRn9wQpMG9R9hX3sD158z7EqHWmweQAJU5SA")]
    [InlineData("Addresses.Nope not found", "Addresses.Nope")]
    [InlineData("maybe use --json", "Discovery.MDNS.Enabled", "yes")]
    [InlineData("not a multiaddr", "Addresses.API", "nope")]
    [InlineData("failed to unmarshal json", "Addresses.Swarm", "[", "--json")]
    public async Task Config_BadKeyOrValue_IsCleanErrorAndLeavesTheFile(string message, params string[] args)
    {
        await CliRunner.RunAsync("init", "--profile", "test", "--repo", Repo);
        string before = await File.ReadAllTextAsync(Path.Combine(Repo, "config"), TestContext.Current.CancellationToken);

        (int exitCode, _, string error) = await CliRunner.RunAsync(["config", .. args, "--repo", Repo]);

        Assert.Equal(1, exitCode);
        Assert.Contains(message, error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", error, StringComparison.Ordinal);
        Assert.Equal(before, await File.ReadAllTextAsync(Path.Combine(Repo, "config"), TestContext.Current.CancellationToken));
    }
}
