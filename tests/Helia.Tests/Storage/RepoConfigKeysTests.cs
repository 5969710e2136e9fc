using System.Text.Json.Nodes;
using Helia.Core.Repo;

namespace Helia.Tests.Storage;

public class RepoConfigKeysTests
{
    private static readonly RepoConfig s_config = RepoTests.NewConfig() with
    {
        Addresses = new RepoAddresses { Swarm = ["/ip4/127.0.0.1/tcp/4001"], Api = ["/ip4/127.0.0.1/tcp/5001"] },
    };

    [Fact]
    public void GetValue_DottedKeys_ReadWhatTheFileHolds()
    {
        Assert.Equal("/ip4/127.0.0.1/tcp/5001", s_config.GetValue("Addresses.API")!.GetValue<string>());
        Assert.Equal("/ip4/127.0.0.1/tcp/4001", s_config.GetValue("Addresses.Swarm")!.AsArray().Single()!.GetValue<string>());
        Assert.True(s_config.GetValue("Discovery.MDNS.Enabled")!.GetValue<bool>());
        Assert.Equal(s_config.Identity.PeerId, s_config.GetValue("Identity")!["PeerID"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("Nope", "Nope not found")]
    [InlineData("Addresses.Nope", "Addresses.Nope not found")]
    [InlineData("Addresses.API.Port", "Addresses.API key is not a map")]
    public void GetValue_MissingKey_ThrowsNamingHowFarItGot(string key, string message)
    {
        KeyNotFoundException ex = Assert.Throws<KeyNotFoundException>(() => s_config.GetValue(key));

        Assert.Equal(message, ex.Message);
    }

    [Fact]
    public void WithValue_KnownKey_ReturnsACheckedCopyAndLeavesTheOriginal()
    {
        RepoConfig changed = s_config
            .WithValue("Discovery.MDNS.Enabled", JsonValue.Create(false))
            .WithValue("Addresses.API", new JsonArray("/ip4/127.0.0.1/tcp/5002", "/ip6/::1/tcp/5002"));

        Assert.False(changed.Discovery.Mdns.Enabled);
        Assert.Equal(["/ip4/127.0.0.1/tcp/5002", "/ip6/::1/tcp/5002"], changed.Addresses.Api);
        Assert.True(s_config.Discovery.Mdns.Enabled);
        Assert.Equal(["/ip4/127.0.0.1/tcp/5001"], s_config.Addresses.Api);
        Assert.Equal(s_config.Identity.PrivKey, changed.Identity.PrivKey);
    }

    [Fact]
    public void WithValue_NewKey_CreatesTheSectionsOnTheWayAndKeepsThem()
    {
        RepoConfig changed = s_config.WithValue("Gateway.HTTPHeaders.X-Test", new JsonArray("yes"));

        Assert.Equal("yes", changed.GetValue("Gateway.HTTPHeaders.X-Test")![0]!.GetValue<string>());
        Assert.Contains("X-Test", System.Text.Encoding.UTF8.GetString(changed.ToJson()), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Discovery.MDNS.Enabled", "\"yes\"")]
    [InlineData("Addresses.Swarm", "[\"not a multiaddr\"]")]
    [InlineData("Addresses", "null")]
    [InlineData("Addresses.API.Port", "1")]
    [InlineData("Addresses..API", "\"x\"")]
    public void WithValue_ResultNotAValidConfig_ThrowsArgument(string key, string json)
    {
        Assert.Throws<ArgumentException>(() => s_config.WithValue(key, JsonNode.Parse(json)));
    }
}
