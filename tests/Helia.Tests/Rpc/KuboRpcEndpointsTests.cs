using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Helia.Cli.Http.Rpc;
using Helia.Core.Blocks;
using Helia.Multiformats;

namespace Helia.Tests.Rpc;

public class KuboRpcEndpointsTests
{
    private static readonly byte[] s_hello = "Hello World"u8.ToArray();
    private const string HelloRawCid = "bafkreiffsgtnic7uebaeuaixgph3pmmq2ywglpylzwrswv5so7m23hyuny";

    private static MultipartFormDataContent FilePart(byte[] bytes, string fileName = "file")
    {
        var content = new MultipartFormDataContent();
        var part = new ByteArrayContent(bytes);
        part.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        content.Add(part, "file", fileName);
        return content;
    }

    private static async Task<JsonElement> ReadJsonAsync(HttpResponseMessage response)
    {
        string text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    private static async Task<List<JsonElement>> ReadNdjsonAsync(HttpResponseMessage response)
    {
        string text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        return [.. text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => JsonDocument.Parse(line).RootElement.Clone())];
    }

    private static async Task AssertKuboErrorAsync(HttpResponseMessage response, HttpStatusCode status, int code, string messagePart)
    {
        Assert.Equal(status, response.StatusCode);
        JsonElement error = await ReadJsonAsync(response);
        Assert.Equal("error", error.GetProperty("Type").GetString());
        Assert.Equal(code, error.GetProperty("Code").GetInt32());
        Assert.Contains(messagePart, error.GetProperty("Message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Version_ReturnsKuboFields()
    {
        await using RpcTestHost host = await RpcTestHost.StartAsync(new KuboRpcBackend());

        JsonElement version = await ReadJsonAsync(await host.PostAsync("/api/v0/version"));

        Assert.Matches(@"^\d+\.\d+\.\d+", version.GetProperty("Version").GetString());
        Assert.Equal("1", version.GetProperty("Repo").GetString());
        Assert.True(version.TryGetProperty("System", out _));
    }

    [Fact]
    public async Task Get_IsMethodNotAllowed_UnknownCommandIsNotFound()
    {
        await using RpcTestHost host = await RpcTestHost.StartAsync(new KuboRpcBackend());

        HttpResponseMessage get = await host.Client.GetAsync("/api/v0/version", TestContext.Current.CancellationToken);
        HttpResponseMessage unknown = await host.PostAsync("/api/v0/no/such/command");

        Assert.Equal(HttpStatusCode.MethodNotAllowed, get.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
    }

    [Theory]
    [InlineData("http://evil.example")]
    [InlineData("http://127.0.0.1:5001")]   // the TestServer's port is not 5001, so this is another origin
    public async Task ForeignBrowserOrigin_IsForbidden(string origin)
    {
        await using RpcTestHost host = await RpcTestHost.StartAsync(new KuboRpcBackend());
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v0/version");
        request.Headers.Add("Origin", origin);

        HttpResponseMessage response = await host.Client.SendAsync(request, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task ForeignReferer_IsForbidden_AllowedOriginPasses()
    {
        await using RpcTestHost host = await RpcTestHost.StartAsync(new KuboRpcBackend { AllowedOrigins = ["https://webui.example"] });
        using var referred = new HttpRequestMessage(HttpMethod.Post, "/api/v0/version");
        referred.Headers.Add("Referer", "http://evil.example/page.html");
        using var allowed = new HttpRequestMessage(HttpMethod.Post, "/api/v0/version");
        allowed.Headers.Add("Origin", "https://webui.example");

        HttpResponseMessage refused = await host.Client.SendAsync(referred, TestContext.Current.CancellationToken);
        HttpResponseMessage accepted = await host.Client.SendAsync(allowed, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
    }

    [Fact]
    public void OriginPolicy_AllowsTheApiItselfOnLoopback()
    {
        var policy = new RpcOriginPolicy();

        Assert.True(policy.IsAllowed("http://127.0.0.1:5001", 5001));
        Assert.True(policy.IsAllowed("http://localhost:5001/", 5001));
        Assert.False(policy.IsAllowed("http://localhost:5002", 5001));
        Assert.False(policy.IsAllowed("http://attacker.example:5001", 5001));
        Assert.False(policy.IsAllowed("null", 5001));
    }

    [Fact]
    public async Task BlockPutGetStatRm_RoundTrip()
    {
        var blocks = new MemoryBlockstore();
        await using RpcTestHost host = await RpcTestHost.StartAsync(new KuboRpcBackend { Blocks = blocks });

        JsonElement put = await ReadJsonAsync(await host.PostAsync("/api/v0/block/put", FilePart(s_hello)));
        Assert.Equal(HelloRawCid, put.GetProperty("Key").GetString());
        Assert.Equal(11, put.GetProperty("Size").GetInt32());

        HttpResponseMessage get = await host.PostAsync($"/api/v0/block/get?arg={HelloRawCid}");
        Assert.Equal(s_hello, await get.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken));

        JsonElement stat = await ReadJsonAsync(await host.PostAsync($"/api/v0/block/stat?arg=/ipfs/{HelloRawCid}"));
        Assert.Equal(HelloRawCid, stat.GetProperty("Key").GetString());
        Assert.Equal(11, stat.GetProperty("Size").GetInt32());

        List<JsonElement> removed = await ReadNdjsonAsync(await host.PostAsync($"/api/v0/block/rm?arg={HelloRawCid}"));
        Assert.Equal(HelloRawCid, Assert.Single(removed).GetProperty("Hash").GetString());
        Assert.Equal("", removed[0].GetProperty("Error").GetString());
        Assert.False(await blocks.HasAsync(Cid.Parse(HelloRawCid), TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task BlockPut_CodecAndHashOptions_AreHonoured()
    {
        await using RpcTestHost host = await RpcTestHost.StartAsync(new KuboRpcBackend { Blocks = new MemoryBlockstore() });

        JsonElement v0 = await ReadJsonAsync(await host.PostAsync("/api/v0/block/put?format=v0", FilePart([0x0a, 0x00])));
        JsonElement cbor = await ReadJsonAsync(await host.PostAsync("/api/v0/block/put?cid-codec=dag-cbor&mhtype=sha2-512", FilePart([0xa0])));

        Assert.StartsWith("Qm", v0.GetProperty("Key").GetString(), StringComparison.Ordinal);
        Cid cborCid = Cid.Parse(cbor.GetProperty("Key").GetString()!);
        Assert.Equal(Multicodec.DagCbor, cborCid.Codec);
        Assert.Equal(Multicodec.Sha2_512, cborCid.Hash.Algorithm);
    }

    [Fact]
    public async Task BlockPut_OverTheSizeLimit_IsRefused()
    {
        await using RpcTestHost host = await RpcTestHost.StartAsync(new KuboRpcBackend { Blocks = new MemoryBlockstore() });

        HttpResponseMessage response = await host.PostAsync("/api/v0/block/put", FilePart(new byte[KuboRpcEndpoints.MaxBlockSize + 1]));

        await AssertKuboErrorAsync(response, HttpStatusCode.InternalServerError, 0, "over");
    }

    [Fact]
    public async Task BlockPut_WithoutMultipartBody_IsClientError()
    {
        await using RpcTestHost host = await RpcTestHost.StartAsync(new KuboRpcBackend { Blocks = new MemoryBlockstore() });

        HttpResponseMessage response = await host.PostAsync("/api/v0/block/put", new StringContent("raw"));

        await AssertKuboErrorAsync(response, HttpStatusCode.BadRequest, 1, "multipart");
    }

    [Fact]
    public async Task BlockGet_MissingArgument_IsKuboClientError()
    {
        await using RpcTestHost host = await RpcTestHost.StartAsync(new KuboRpcBackend { Blocks = new MemoryBlockstore() });

        HttpResponseMessage response = await host.PostAsync("/api/v0/block/get");

        await AssertKuboErrorAsync(response, HttpStatusCode.BadRequest, 1, "argument \"cid\" is required");
    }

    [Fact]
    public async Task BlockGet_MalformedCid_IsKuboError()
    {
        await using RpcTestHost host = await RpcTestHost.StartAsync(new KuboRpcBackend { Blocks = new MemoryBlockstore() });

        HttpResponseMessage response = await host.PostAsync("/api/v0/block/get?arg=not-a-cid");

        await AssertKuboErrorAsync(response, HttpStatusCode.InternalServerError, 0, "not-a-cid");
    }

    [Fact]
    public async Task BlockGet_AbsentBlock_IsKuboError()
    {
        await using RpcTestHost host = await RpcTestHost.StartAsync(new KuboRpcBackend { Blocks = new MemoryBlockstore() });

        HttpResponseMessage response = await host.PostAsync($"/api/v0/block/get?arg={HelloRawCid}");

        await AssertKuboErrorAsync(response, HttpStatusCode.InternalServerError, 0, "");
    }

    [Fact]
    public async Task BlockRm_AbsentBlock_ReportsErrorUnlessForced()
    {
        await using RpcTestHost host = await RpcTestHost.StartAsync(new KuboRpcBackend { Blocks = new MemoryBlockstore() });

        List<JsonElement> plain = await ReadNdjsonAsync(await host.PostAsync($"/api/v0/block/rm?arg={HelloRawCid}"));
        List<JsonElement> forced = await ReadNdjsonAsync(await host.PostAsync($"/api/v0/block/rm?arg={HelloRawCid}&force=true"));

        Assert.Contains("could not find", Assert.Single(plain).GetProperty("Error").GetString(), StringComparison.Ordinal);
        Assert.Empty(forced);
    }

    [Fact]
    public async Task PinAddLsRm_UsesKuboShapes()
    {
        var pins = new FakeRpcPins();
        var blocks = new MemoryBlockstore();
        await using RpcTestHost host = await RpcTestHost.StartAsync(new KuboRpcBackend { Blocks = blocks, Pins = pins });

        JsonElement added = await ReadJsonAsync(await host.PostAsync($"/api/v0/pin/add?arg=/ipfs/{HelloRawCid}"));
        Assert.Equal(HelloRawCid, added.GetProperty("Pins")[0].GetString());

        JsonElement all = await ReadJsonAsync(await host.PostAsync("/api/v0/pin/ls"));
        Assert.Equal("recursive", all.GetProperty("Keys").GetProperty(HelloRawCid).GetProperty("Type").GetString());

        List<JsonElement> streamed = await ReadNdjsonAsync(await host.PostAsync("/api/v0/pin/ls?stream=true&type=recursive"));
        Assert.Equal(HelloRawCid, Assert.Single(streamed).GetProperty("Cid").GetString());

        List<JsonElement> blockRm = await ReadNdjsonAsync(await host.PostAsync($"/api/v0/block/rm?arg={HelloRawCid}"));
        Assert.Equal("pinned: recursive", Assert.Single(blockRm).GetProperty("Error").GetString());

        JsonElement removed = await ReadJsonAsync(await host.PostAsync($"/api/v0/pin/rm?arg={HelloRawCid}"));
        Assert.Equal(HelloRawCid, removed.GetProperty("Pins")[0].GetString());
        Assert.Empty(pins.Pins);

        HttpResponseMessage notPinned = await host.PostAsync($"/api/v0/pin/ls?arg={HelloRawCid}");
        await AssertKuboErrorAsync(notPinned, HttpStatusCode.InternalServerError, 0, "is not pinned");
    }

    [Fact]
    public async Task PinLs_BadType_IsClientError()
    {
        await using RpcTestHost host = await RpcTestHost.StartAsync(new KuboRpcBackend { Pins = new FakeRpcPins() });

        HttpResponseMessage response = await host.PostAsync("/api/v0/pin/ls?type=sideways");

        await AssertKuboErrorAsync(response, HttpStatusCode.BadRequest, 1, "invalid type");
    }

    [Fact]
    public async Task RepoGc_StreamsRemovedKeys()
    {
        Cid garbage = Cid.Compute(Multicodec.Raw, s_hello);
        var repo = new FakeRpcRepo([garbage]);
        await using RpcTestHost host = await RpcTestHost.StartAsync(new KuboRpcBackend { Repo = repo });

        List<JsonElement> removed = await ReadNdjsonAsync(await host.PostAsync("/api/v0/repo/gc"));
        JsonElement stat = await ReadJsonAsync(await host.PostAsync("/api/v0/repo/stat"));
        JsonElement sizeOnly = await ReadJsonAsync(await host.PostAsync("/api/v0/repo/stat?size-only=true"));

        Assert.Equal(garbage.ToString(), Assert.Single(removed).GetProperty("Key").GetProperty("/").GetString());
        Assert.Equal(3UL, stat.GetProperty("NumObjects").GetUInt64());
        Assert.Equal("/repo", stat.GetProperty("RepoPath").GetString());
        Assert.False(sizeOnly.TryGetProperty("NumObjects", out _));
        Assert.Equal(1024UL, sizeOnly.GetProperty("RepoSize").GetUInt64());
    }

    [Fact]
    public async Task NdjsonStream_FailureAfterFirstValue_EndsWithErrorLine()
    {
        Cid garbage = Cid.Compute(Multicodec.Raw, s_hello);
        var repo = new FakeRpcRepo([garbage]) { FailAfterFirst = true };
        await using RpcTestHost host = await RpcTestHost.StartAsync(new KuboRpcBackend { Repo = repo });

        HttpResponseMessage response = await host.PostAsync("/api/v0/repo/gc");
        List<JsonElement> lines = await ReadNdjsonAsync(response);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(2, lines.Count);
        Assert.Equal("error", lines[1].GetProperty("Type").GetString());
        Assert.Contains("disk on fire", lines[1].GetProperty("Message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Id_ReturnsKuboFieldNames()
    {
        var identity = new RpcIdentity("12D3KooWtest", "CAESIA==", ["/ip4/127.0.0.1/tcp/4001/p2p/12D3KooWtest"], "helia/0.1.0", ["/ipfs/bitswap/1.2.0"]);
        await using RpcTestHost host = await RpcTestHost.StartAsync(new KuboRpcBackend { Node = new FakeRpcNode(identity) });

        JsonElement id = await ReadJsonAsync(await host.PostAsync("/api/v0/id"));

        Assert.Equal("12D3KooWtest", id.GetProperty("ID").GetString());
        Assert.Equal("CAESIA==", id.GetProperty("PublicKey").GetString());
        Assert.Equal("helia/0.1.0", id.GetProperty("AgentVersion").GetString());
        Assert.Single(id.GetProperty("Addresses").EnumerateArray());
        Assert.Equal("/ipfs/bitswap/1.2.0", id.GetProperty("Protocols")[0].GetString());
    }

    [Fact]
    public async Task Shutdown_AnswersThenCallsTheDaemon()
    {
        var called = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using RpcTestHost host = await RpcTestHost.StartAsync(new KuboRpcBackend { Shutdown = () => called.TrySetResult() });

        HttpResponseMessage response = await host.PostAsync("/api/v0/shutdown");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await called.Task.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task BadBooleanFlag_IsClientError()
    {
        await using RpcTestHost host = await RpcTestHost.StartAsync(new KuboRpcBackend { Pins = new FakeRpcPins() });

        HttpResponseMessage response = await host.PostAsync($"/api/v0/pin/add?arg={HelloRawCid}&recursive=maybe");

        await AssertKuboErrorAsync(response, HttpStatusCode.BadRequest, 1, "boolean option \"recursive\"");
    }

    [Fact]
    public async Task MissingBackendPart_IsNotMapped()
    {
        await using RpcTestHost host = await RpcTestHost.StartAsync(new KuboRpcBackend());

        HttpResponseMessage response = await host.PostAsync("/api/v0/block/stat?arg=" + HelloRawCid);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task Add_Multipart_StreamsKuboAddOutputAndPins()
    {
        var pins = new FakeRpcPins();
        var unixfs = new FakeRpcUnixFS();
        await using RpcTestHost host = await RpcTestHost.StartAsync(new KuboRpcBackend { UnixFS = unixfs, Pins = pins });

        List<JsonElement> added = await ReadNdjsonAsync(await host.PostAsync("/api/v0/add?cid-version=1", FilePart(s_hello, "hello.txt")));

        JsonElement entry = Assert.Single(added);
        Assert.Equal("hello.txt", entry.GetProperty("Name").GetString());
        Assert.Equal(HelloRawCid, entry.GetProperty("Hash").GetString());
        Assert.Equal("11", entry.GetProperty("Size").GetString());
        Assert.Equal(1, unixfs.LastOptions!.CidVersion);
        Assert.True(pins.Pins.ContainsKey(Cid.Parse(HelloRawCid)));
    }

    [Fact]
    public async Task CatAndLs_UseKuboShapes()
    {
        await using RpcTestHost host = await RpcTestHost.StartAsync(new KuboRpcBackend { UnixFS = new FakeRpcUnixFS() });

        HttpResponseMessage cat = await host.PostAsync($"/api/v0/cat?arg={HelloRawCid}&offset=6");
        JsonElement ls = await ReadJsonAsync(await host.PostAsync($"/api/v0/ls?arg={HelloRawCid}"));
        List<JsonElement> lsStream = await ReadNdjsonAsync(await host.PostAsync($"/api/v0/ls?arg={HelloRawCid}&stream=true"));

        Assert.Equal("World", await cat.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        JsonElement link = ls.GetProperty("Objects")[0].GetProperty("Links")[0];
        Assert.Equal("hello.txt", link.GetProperty("Name").GetString());
        Assert.Equal(2, link.GetProperty("Type").GetInt32());
        Assert.Single(lsStream);
    }

    [Fact]
    public async Task FilesStat_IpfsPath_KuboShape_OtherPathsRefused()
    {
        await using RpcTestHost host = await RpcTestHost.StartAsync(new KuboRpcBackend { UnixFS = new FakeRpcUnixFS() });

        JsonElement stat = await ReadJsonAsync(await host.PostAsync($"/api/v0/files/stat?arg=/ipfs/{HelloRawCid}"));
        HttpResponseMessage mfs = await host.PostAsync("/api/v0/files/stat?arg=/some/mfs/path");

        Assert.Equal(HelloRawCid, stat.GetProperty("Hash").GetString());
        Assert.Equal(11, stat.GetProperty("Size").GetInt32());
        Assert.Equal(11, stat.GetProperty("CumulativeSize").GetInt32());
        Assert.Equal(0, stat.GetProperty("Blocks").GetInt32());
        Assert.Equal("file", stat.GetProperty("Type").GetString());
        Assert.Equal(HttpStatusCode.BadRequest, mfs.StatusCode);
    }

    [Fact]
    public async Task SwarmCommands_UseKuboShapes()
    {
        var swarm = new FakeRpcSwarm();
        await using RpcTestHost host = await RpcTestHost.StartAsync(new KuboRpcBackend { Swarm = swarm });
        string address = $"/ip4/127.0.0.1/tcp/4001/p2p/{FakeRpcSwarm.Peer}";

        JsonElement connect = await ReadJsonAsync(await host.PostAsync($"/api/v0/swarm/connect?arg={address}"));
        JsonElement peers = await ReadJsonAsync(await host.PostAsync("/api/v0/swarm/peers"));
        JsonElement addrs = await ReadJsonAsync(await host.PostAsync("/api/v0/swarm/addrs"));
        JsonElement disconnect = await ReadJsonAsync(await host.PostAsync($"/api/v0/swarm/disconnect?arg={address}"));
        HttpResponseMessage noPeerId = await host.PostAsync("/api/v0/swarm/connect?arg=/ip4/127.0.0.1/tcp/4001");
        HttpResponseMessage malformed = await host.PostAsync("/api/v0/swarm/connect?arg=/ip4/999.0.0.1/tcp/1");

        Assert.Equal($"connect {FakeRpcSwarm.Peer} success", connect.GetProperty("Strings")[0].GetString());
        Assert.Equal(FakeRpcSwarm.Peer, peers.GetProperty("Peers")[0].GetProperty("Peer").GetString());
        Assert.Equal("/ip4/127.0.0.1/tcp/4001", peers.GetProperty("Peers")[0].GetProperty("Addr").GetString());
        Assert.True(addrs.GetProperty("Addrs").TryGetProperty(FakeRpcSwarm.Peer, out _));
        Assert.Equal($"disconnect {FakeRpcSwarm.Peer} success", disconnect.GetProperty("Strings")[0].GetString());
        await AssertKuboErrorAsync(noPeerId, HttpStatusCode.InternalServerError, 0, "/p2p/");
        await AssertKuboErrorAsync(malformed, HttpStatusCode.InternalServerError, 0, "invalid multiaddr");
    }

    [Fact]
    public async Task Ping_ConnectedPeer_StreamsKuboResultsAndTheAverage()
    {
        var swarm = new FakeRpcSwarm();
        await using RpcTestHost host = await RpcTestHost.StartAsync(new KuboRpcBackend { Swarm = swarm });

        List<JsonElement> results = await ReadNdjsonAsync(await host.PostAsync($"/api/v0/ping?arg=/ip4/127.0.0.1/tcp/4001/p2p/{FakeRpcSwarm.Peer}&count=2"));

        Assert.Equal(4, results.Count);
        Assert.Equal($"PING {FakeRpcSwarm.Peer}.", results[0].GetProperty("Text").GetString());
        Assert.All(results[1..3], pong =>
        {
            Assert.True(pong.GetProperty("Success").GetBoolean());
            Assert.Equal(FakeRpcSwarm.RoundTrip.Ticks * 100, pong.GetProperty("Time").GetInt64());   // nanoseconds, as Go's Duration
            Assert.Equal("", pong.GetProperty("Text").GetString());
        });
        Assert.Equal("Average latency: 1.50ms", results[3].GetProperty("Text").GetString());
        Assert.True(results[3].GetProperty("Success").GetBoolean());   // as Kubo sends it
    }

    [Fact]
    public async Task Ping_SelfZeroCountMalformedOrUnreachable_KuboErrors()
    {
        var swarm = new FakeRpcSwarm();
        await using RpcTestHost host = await RpcTestHost.StartAsync(new KuboRpcBackend { Swarm = swarm });

        HttpResponseMessage self = await host.PostAsync($"/api/v0/ping?arg={swarm.LocalPeer}");
        HttpResponseMessage zero = await host.PostAsync($"/api/v0/ping?arg={FakeRpcSwarm.Peer}&count=0");
        HttpResponseMessage malformed = await host.PostAsync("/api/v0/ping?arg=not-a-peer");
        HttpResponseMessage noPeer = await host.PostAsync("/api/v0/ping?arg=/ip4/127.0.0.1/tcp/4001");
        string unreachable = await (await host.PostAsync($"/api/v0/ping?arg={FakeRpcSwarm.Peer}&count=1")).Content.ReadAsStringAsync(TestContext.Current.CancellationToken);

        await AssertKuboErrorAsync(self, HttpStatusCode.BadRequest, 1, "can't ping self");
        await AssertKuboErrorAsync(zero, HttpStatusCode.BadRequest, 1, "greater than 0");
        await AssertKuboErrorAsync(malformed, HttpStatusCode.InternalServerError, 0, "not-a-peer");
        await AssertKuboErrorAsync(noPeer, HttpStatusCode.InternalServerError, 0, "/p2p/");
        Assert.Contains($"Ping error: no addresses for {FakeRpcSwarm.Peer}", unreachable, StringComparison.Ordinal);
        Assert.Contains("ping failed", unreachable, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BitswapStatAndWantlist_UseCidLinks()
    {
        Cid wanted = Cid.Compute(Multicodec.Raw, s_hello);
        await using RpcTestHost host = await RpcTestHost.StartAsync(new KuboRpcBackend { Bitswap = new FakeRpcBitswap(wanted) });

        JsonElement stat = await ReadJsonAsync(await host.PostAsync("/api/v0/bitswap/stat"));
        JsonElement wantlist = await ReadJsonAsync(await host.PostAsync("/api/v0/bitswap/wantlist"));
        HttpResponseMessage badPeer = await host.PostAsync("/api/v0/bitswap/wantlist?peer=nope");

        Assert.Equal(wanted.ToString(), stat.GetProperty("Wantlist")[0].GetProperty("/").GetString());
        Assert.Equal(5UL, stat.GetProperty("BlocksReceived").GetUInt64());
        Assert.Equal(wanted.ToString(), wantlist.GetProperty("Keys")[0].GetProperty("/").GetString());
        await AssertKuboErrorAsync(badPeer, HttpStatusCode.InternalServerError, 0, "invalid peer id");
    }
}
