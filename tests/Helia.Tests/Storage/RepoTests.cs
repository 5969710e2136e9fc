using System.Text;
using System.Text.Json;
using Helia.Core.Blocks;
using Helia.Core.Datastore;
using Helia.Core.Repo;
using Helia.Libp2p.Crypto;
using Helia.Multiformats;
using Helia.Tests.Blocks;

namespace Helia.Tests.Storage;

public sealed class RepoTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private string RepoPath => _dir.Combine("repo");

    public void Dispose() => _dir.Dispose();

    /// <summary>A config with a fresh Ed25519 identity, as `helia init` makes one.</summary>
    internal static RepoConfig NewConfig()
    {
        using PrivateKey key = Ed25519PrivateKey.Generate();
        return new RepoConfig
        {
            Identity = new RepoIdentity { PeerId = PeerId.FromMultihash(key.PublicKey.ToPeerIdMultihash()).ToString(), PrivKey = key.Marshal() },
        };
    }

    [Fact]
    public async Task InitAsync_ThenReopen_KeepsIdentityBlocksAndDatastore()
    {
        RepoConfig config = NewConfig();
        Cid cid = Cid.Compute(Multicodec.Raw, "kept"u8);
        var key = new DatastoreKey("/pins/kept");
        await using (Repo repo = await Repo.InitAsync(RepoPath, config, cancellationToken: Ct))
        {
            await repo.Blocks.PutAsync(cid, "kept"u8.ToArray(), Ct);
            await repo.Datastore.PutAsync(key, new byte[] { 1, 2, 3 }, Ct);
        }

        await using Repo reopened = await Repo.OpenAsync(RepoPath, Ct);

        Assert.Equal(config.Identity.PeerId, reopened.Config.Identity.PeerId);
        Assert.Equal(config.Identity.PrivKey, reopened.Config.Identity.PrivKey);
        Assert.Equal("kept"u8.ToArray(), (await reopened.Blocks.GetAsync(cid, Ct)).ToArray());
        Assert.Equal(new byte[] { 1, 2, 3 }, (await reopened.Datastore.GetAsync(key, Ct))!.Value.ToArray());
    }

    [Fact]
    public async Task InitAsync_WritesKuboLikeLayout()
    {
        RepoConfig config = NewConfig() with { Addresses = new RepoAddresses { Swarm = ["/ip4/127.0.0.1/tcp/0"], Api = ["/ip4/127.0.0.1/tcp/0"] } };

        await using Repo repo = await Repo.InitAsync(RepoPath, config, cancellationToken: Ct);

        Assert.Equal("1", (await File.ReadAllTextAsync(Path.Combine(RepoPath, "version"), Ct)).Trim());
        Assert.Equal(FlatFsBlockstore.ShardingId, (await File.ReadAllTextAsync(Path.Combine(RepoPath, "blocks", "SHARDING"), Ct)).Trim());
        Assert.True(File.Exists(Path.Combine(RepoPath, "datastore", Repo.DatastoreFileName)));
        Assert.True(File.Exists(Path.Combine(RepoPath, "repo.lock")));
        Assert.Empty(Directory.EnumerateFiles(RepoPath, "*.tmp"));
        using JsonDocument json = JsonDocument.Parse(await File.ReadAllBytesAsync(Path.Combine(RepoPath, "config"), Ct));
        JsonElement identity = json.RootElement.GetProperty("Identity");
        byte[] privKey = Convert.FromBase64String(identity.GetProperty("PrivKey").GetString()!);
        using PrivateKey key = PrivateKey.Unmarshal(privKey);
        Assert.Equal(identity.GetProperty("PeerID").GetString(), PeerId.FromMultihash(key.PublicKey.ToPeerIdMultihash()).ToString());
        Assert.Equal("/ip4/127.0.0.1/tcp/0", json.RootElement.GetProperty("Addresses").GetProperty("Swarm")[0].GetString());
        Assert.Equal("/ip4/127.0.0.1/tcp/0", json.RootElement.GetProperty("Addresses").GetProperty("API").GetString());
        Assert.True(json.RootElement.GetProperty("Discovery").GetProperty("MDNS").GetProperty("Enabled").GetBoolean());
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(RepoPath, "config")));
        }
    }

    [Fact]
    public async Task InitAsync_ExistingRepo_ThrowsAndLeavesItUnchanged()
    {
        RepoConfig first = NewConfig();
        await (await Repo.InitAsync(RepoPath, first, cancellationToken: Ct)).DisposeAsync();
        byte[] before = await File.ReadAllBytesAsync(Path.Combine(RepoPath, "config"), Ct);

        RepoExistsException ex = await Assert.ThrowsAsync<RepoExistsException>(() => Repo.InitAsync(RepoPath, NewConfig(), cancellationToken: Ct));

        Assert.Contains(RepoPath, ex.Message, StringComparison.Ordinal);
        Assert.Equal(before, await File.ReadAllBytesAsync(Path.Combine(RepoPath, "config"), Ct));
        await using Repo repo = await Repo.OpenAsync(RepoPath, Ct);
        Assert.Equal(first.Identity.PeerId, repo.Config.Identity.PeerId);
    }

    [Fact]
    public async Task OpenAsync_NoFolderOrEmptyFolder_ThrowsNotFound()
    {
        await Assert.ThrowsAsync<RepoNotFoundException>(() => Repo.OpenAsync(RepoPath, Ct));
        Directory.CreateDirectory(RepoPath);

        RepoNotFoundException ex = await Assert.ThrowsAsync<RepoNotFoundException>(() => Repo.OpenAsync(RepoPath, Ct));

        Assert.Contains("init", ex.Message, StringComparison.Ordinal);
        Assert.Empty(Directory.EnumerateFileSystemEntries(RepoPath));   // opening a non-repo creates nothing
    }

    [Fact]
    public async Task OpenAsync_WhileOpen_ThrowsLocked_AndOpensAfterDispose()
    {
        Repo repo = await Repo.InitAsync(RepoPath, NewConfig(), cancellationToken: Ct);

        RepoLockedException locked = await Assert.ThrowsAsync<RepoLockedException>(() => Repo.OpenAsync(RepoPath, Ct));
        await Assert.ThrowsAsync<RepoLockedException>(() => Repo.OpenAsync(RepoPath, Ct));   // a failed open leaves the lock alone
        await repo.DisposeAsync();
        await using Repo reopened = await Repo.OpenAsync(RepoPath, Ct);

        Assert.EndsWith("repo.lock", locked.LockFile, StringComparison.Ordinal);
        Assert.Contains("in use", locked.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task InitAsync_FolderLockedByAnother_ThrowsLocked()
    {
        Directory.CreateDirectory(RepoPath);
        using RepoLock held = RepoLock.Acquire(RepoPath);

        await Assert.ThrowsAsync<RepoLockedException>(() => Repo.InitAsync(RepoPath, NewConfig(), cancellationToken: Ct));

        Assert.False(Repo.Exists(RepoPath));
    }

    [Fact]
    public async Task OpenAsync_NewerVersion_ThrowsVersion()
    {
        await (await Repo.InitAsync(RepoPath, NewConfig(), cancellationToken: Ct)).DisposeAsync();
        await File.WriteAllTextAsync(Path.Combine(RepoPath, "version"), "2\n", Ct);

        RepoVersionException ex = await Assert.ThrowsAsync<RepoVersionException>(() => Repo.OpenAsync(RepoPath, Ct));

        Assert.Equal(2, ex.Version);
        Assert.Equal(Repo.CurrentVersion, ex.SupportedVersion);
        await File.WriteAllTextAsync(Path.Combine(RepoPath, "version"), "1\n", Ct);
        await using Repo reopened = await Repo.OpenAsync(RepoPath, Ct);   // the failed open released the lock
    }

    [Theory]
    [InlineData("")]
    [InlineData("x")]
    [InlineData("-1")]
    [InlineData("0")]
    [InlineData("99999999999999999999")]
    public async Task OpenAsync_BadVersionFile_ThrowsCorruptNamingIt(string version)
    {
        await (await Repo.InitAsync(RepoPath, NewConfig(), cancellationToken: Ct)).DisposeAsync();
        await File.WriteAllTextAsync(Path.Combine(RepoPath, "version"), version, Ct);

        RepoCorruptException ex = await Assert.ThrowsAsync<RepoCorruptException>(() => Repo.OpenAsync(RepoPath, Ct));

        Assert.Equal(Path.Combine(RepoPath, "version"), ex.File);
    }

    [Fact]
    public async Task OpenAsync_MissingVersionFile_ThrowsCorrupt()
    {
        await (await Repo.InitAsync(RepoPath, NewConfig(), cancellationToken: Ct)).DisposeAsync();
        File.Delete(Path.Combine(RepoPath, "version"));

        RepoCorruptException ex = await Assert.ThrowsAsync<RepoCorruptException>(() => Repo.OpenAsync(RepoPath, Ct));

        Assert.Contains("missing", ex.Message, StringComparison.Ordinal);
    }

    public static TheoryData<string, string> CorruptConfigs => new()
    {
        { "{", "not valid config JSON" },
        { "null", "null" },
        { "[]", "not valid config JSON" },
        { "{}", "not valid config JSON" },   // Identity is required
        { """{"Identity":{"PeerID":"12D3KooWnotapeer","PrivKey":"CAESQA=="}}""", "not a peer ID" },
        { """{"Identity":{"PeerID":"12D3KooWD3eckifWpRn9wQpMG9R9hX3sD158z7EqHWmweQAJU5SA","PrivKey":"!!"}}""", "not valid config JSON" },
        { """{"Identity":{"PeerID":"12D3KooWD3eckifWpRn9wQpMG9R9hX3sD158z7EqHWmweQAJU5SA","PrivKey":""}}""", "required" },
        { """{"Identity":{"PeerID":"12D3KooWD3eckifWpRn9wQpMG9R9hX3sD158z7EqHWmweQAJU5SA","PrivKey":"CAE="},"Addresses":{"Swarm":["nope"]}}""", "not a multiaddr" },
        { """{"Identity":{"PeerID":"12D3KooWD3eckifWpRn9wQpMG9R9hX3sD158z7EqHWmweQAJU5SA","PrivKey":"CAE="},"Addresses":null}""", "must not be null" },
        { """{"Identity":{"PeerID":"12D3KooWD3eckifWpRn9wQpMG9R9hX3sD158z7EqHWmweQAJU5SA","PrivKey":"CAE="},"Addresses":{"API":["nope"]}}""", "not a multiaddr" },
        { """{"Identity":{"PeerID":"12D3KooWD3eckifWpRn9wQpMG9R9hX3sD158z7EqHWmweQAJU5SA","PrivKey":"CAE="},"Addresses":{"API":[5001]}}""", "not valid config JSON" },
        { """{"Identity":{"PeerID":"12D3KooWD3eckifWpRn9wQpMG9R9hX3sD158z7EqHWmweQAJU5SA","PrivKey":"CAE="},"Addresses":{"API":{}}}""", "not valid config JSON" },
    };

    [Theory]
    [MemberData(nameof(CorruptConfigs))]
    public async Task OpenAsync_CorruptConfig_ThrowsCorruptNamingTheFile(string config, string reason)
    {
        await (await Repo.InitAsync(RepoPath, NewConfig(), cancellationToken: Ct)).DisposeAsync();
        string file = Path.Combine(RepoPath, "config");
        await File.WriteAllTextAsync(file, config, Ct);

        RepoCorruptException ex = await Assert.ThrowsAsync<RepoCorruptException>(() => Repo.OpenAsync(RepoPath, Ct));

        Assert.Equal(file, ex.File);
        Assert.Contains(file, ex.Message, StringComparison.Ordinal);
        Assert.Contains(reason, ex.Message, StringComparison.Ordinal);
        using RepoLock free = RepoLock.Acquire(RepoPath);   // the failed open released the lock
    }

    [Fact]
    public async Task OpenAsync_ConfigWithoutOptionalSections_KeepsTheirDefaults()
    {
        RepoConfig written = NewConfig();
        await (await Repo.InitAsync(RepoPath, written, cancellationToken: Ct)).DisposeAsync();
        // Only the identity, and an Addresses section without API: what is missing keeps its default.
        string config = $$$"""{"Identity":{"PeerID":"{{{written.Identity.PeerId}}}","PrivKey":"{{{Convert.ToBase64String(written.Identity.PrivKey)}}}"},"Addresses":{"Swarm":["/ip4/127.0.0.1/tcp/4002"]}}""";
        await File.WriteAllTextAsync(Path.Combine(RepoPath, "config"), config, Ct);

        await using Repo repo = await Repo.OpenAsync(RepoPath, Ct);

        Assert.Equal(["/ip4/127.0.0.1/tcp/4002"], repo.Config.Addresses.Swarm);
        Assert.Equal(new RepoAddresses().Api, repo.Config.Addresses.Api);
        Assert.True(repo.Config.Discovery.Mdns.Enabled);
        Assert.Null(repo.Config.Other);
    }

    [Fact]
    public async Task OpenAsync_OversizedConfig_ThrowsCorruptWithoutReadingIt()
    {
        await (await Repo.InitAsync(RepoPath, NewConfig(), cancellationToken: Ct)).DisposeAsync();
        await using (FileStream stream = File.OpenWrite(Path.Combine(RepoPath, "config")))
        {
            stream.SetLength(RepoConfig.MaxFileSize + 1L);
        }

        RepoCorruptException ex = await Assert.ThrowsAsync<RepoCorruptException>(() => Repo.OpenAsync(RepoPath, Ct));

        Assert.Contains("more than", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SaveConfigAsync_ReplacesConfig_KeepsUnknownSections_LeavesNoTempFile()
    {
        await (await Repo.InitAsync(RepoPath, NewConfig(), cancellationToken: Ct)).DisposeAsync();
        string file = Path.Combine(RepoPath, "config");
        string text = await File.ReadAllTextAsync(file, Ct);
        await File.WriteAllTextAsync(file, text.TrimEnd().TrimEnd('}') + """, "Gateway": {"PublicGateways": null} }""", Ct);

        await using (Repo repo = await Repo.OpenAsync(RepoPath, Ct))
        {
            await repo.SaveConfigAsync(repo.Config with { Discovery = new RepoDiscovery { Mdns = new RepoMdns { Enabled = false } } }, Ct);
            Assert.False(repo.Config.Discovery.Mdns.Enabled);
        }

        await using Repo reopened = await Repo.OpenAsync(RepoPath, Ct);
        Assert.False(reopened.Config.Discovery.Mdns.Enabled);
        Assert.Contains("PublicGateways", Encoding.UTF8.GetString(await File.ReadAllBytesAsync(file, Ct)), StringComparison.Ordinal);
        Assert.Equal(["config", "repo.lock", "version"], Directory.EnumerateFiles(RepoPath).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task SaveConfigAsync_KuboConfig_KeepsFieldsItDoesNotModelInEverySection()
    {
        // Parts of a config as Kubo writes it: the API as an array, and fields we do not model beside those we do.
        RepoConfig written = NewConfig();
        await (await Repo.InitAsync(RepoPath, written, cancellationToken: Ct)).DisposeAsync();
        string file = Path.Combine(RepoPath, "config");
        string kubo = $$$"""
            {
              "Identity": {"PeerID": "{{{written.Identity.PeerId}}}", "PrivKey": "{{{Convert.ToBase64String(written.Identity.PrivKey)}}}"},
              "Addresses": {
                "API": ["/ip4/127.0.0.1/tcp/5001", "/ip6/::1/tcp/5001"],
                "Announce": [], "AppendAnnounce": [], "NoAnnounce": ["/ip4/10.0.0.0/ipcidr/8"],
                "Gateway": "/ip4/127.0.0.1/tcp/8080",
                "Swarm": ["/ip4/0.0.0.0/tcp/4001"]
              },
              "Discovery": {"MDNS": {"Enabled": true, "Interval": 10}},
              "Routing": {"Type": "auto"}
            }
            """;
        await File.WriteAllTextAsync(file, kubo, Ct);

        await using (Repo repo = await Repo.OpenAsync(RepoPath, Ct))
        {
            Assert.Equal(["/ip4/127.0.0.1/tcp/5001", "/ip6/::1/tcp/5001"], repo.Config.Addresses.Api);
            RepoDiscovery discovery = repo.Config.Discovery with { Mdns = repo.Config.Discovery.Mdns with { Enabled = false } };
            await repo.SaveConfigAsync(repo.Config with { Discovery = discovery }, Ct);
        }

        using JsonDocument saved = JsonDocument.Parse(await File.ReadAllBytesAsync(file, Ct));
        JsonElement addresses = saved.RootElement.GetProperty("Addresses");
        Assert.Equal(["/ip4/127.0.0.1/tcp/5001", "/ip6/::1/tcp/5001"], addresses.GetProperty("API").EnumerateArray().Select(a => a.GetString()));
        Assert.Equal("/ip4/127.0.0.1/tcp/8080", addresses.GetProperty("Gateway").GetString());
        Assert.Equal("/ip4/10.0.0.0/ipcidr/8", addresses.GetProperty("NoAnnounce")[0].GetString());
        Assert.Equal(0, addresses.GetProperty("Announce").GetArrayLength());
        JsonElement mdns = saved.RootElement.GetProperty("Discovery").GetProperty("MDNS");
        Assert.False(mdns.GetProperty("Enabled").GetBoolean());
        Assert.Equal(10, mdns.GetProperty("Interval").GetInt32());
        Assert.Equal("auto", saved.RootElement.GetProperty("Routing").GetProperty("Type").GetString());
    }

    [Theory]
    [InlineData("\"\"", new string[0])]
    [InlineData("[]", new string[0])]
    [InlineData("null", new string[0])]
    [InlineData("\"/ip4/127.0.0.1/tcp/5002\"", new[] { "/ip4/127.0.0.1/tcp/5002" })]
    public async Task OpenAsync_ApiAsKuboWritesIt_ReadsAsAList(string api, string[] expected)
    {
        RepoConfig written = NewConfig();
        await (await Repo.InitAsync(RepoPath, written, cancellationToken: Ct)).DisposeAsync();
        string config = $$$"""{"Identity":{"PeerID":"{{{written.Identity.PeerId}}}","PrivKey":"{{{Convert.ToBase64String(written.Identity.PrivKey)}}}"},"Addresses":{"API":{{{api}}}}}""";
        await File.WriteAllTextAsync(Path.Combine(RepoPath, "config"), config, Ct);

        await using Repo repo = await Repo.OpenAsync(RepoPath, Ct);

        Assert.Equal(expected, repo.Config.Addresses.Api);
    }

    [Fact]
    public async Task InitAsync_ConfigWithoutIdentityKey_ThrowsArgument()
    {
        RepoConfig config = NewConfig() with { Identity = new RepoIdentity { PeerId = "12D3KooWD3eckifWpRn9wQpMG9R9hX3sD158z7EqHWmweQAJU5SA", PrivKey = [] } };

        await Assert.ThrowsAsync<ArgumentException>(() => Repo.InitAsync(RepoPath, config, cancellationToken: Ct));

        Assert.False(Directory.Exists(RepoPath));
    }

    [Fact]
    public void ResolveDefaultPath_HeliaPathOrHomeDotHelia()
    {
        Assert.Equal(RepoPath, Repo.ResolveDefaultPath(RepoPath));
        Assert.Equal(Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".helia"), Repo.ResolveDefaultPath(null));
        Assert.Equal(Repo.ResolveDefaultPath(null), Repo.ResolveDefaultPath(""));
    }
}
