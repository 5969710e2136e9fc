using System.Text.Json;
using Helia.Core.Ipld.DagPb;
using Helia.Multiformats;
using Helia.Multiformats.Hashing;

namespace Helia.Interop.Tests;

/// <summary>
/// Bitswap 1.1.0 and 1.0.0 against an implementation that is not ours: the old js-ipfs Bitswap (ipfs-bitswap 20.0.2 on
/// js-libp2p 1.9.4, interop/js-legacy/legacy-bitswap-peer.mjs), which still speaks 1.0.0, 1.1.0 and 1.2.0. JS Helia's
/// @helia/bitswap speaks only 1.2.0 and Kubo cannot run here. The peer is told which versions to offer
/// (<c>--protocols</c>), so it behaves as an old peer that speaks one version; everything it puts on the wire and reads
/// is ipfs-bitswap's own code for that version. Each test starts a fresh C# node and peer, moves a block each way and
/// asserts the protocol both streams negotiated and what was on the wire (bare blocks for 1.0.0, payload with the CID
/// prefix for 1.1.0, no 1.2.0 fields in our wants).
/// </summary>
public class LegacyBitswapInteropTests
{
    private const string Script = "../js-legacy/legacy-bitswap-peer.mjs";
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Version spoken, hash, codec, CID version, block size, and the CID prefix the 1.1.0+ payload must carry, written
    /// out from the multicodec table (varints of version, codec, hash code, digest length); null for 1.0.0, which has none.
    /// </summary>
    public static TheoryData<string, string, string, int, int, string?> Blocks => new()
    {
        { "1.1.0", "sha2-256", "raw", 1, 1, "01551220" },
        { "1.1.0", "sha2-256", "raw", 1, 256 * 1024, "01551220" },
        { "1.1.0", "sha2-256", "raw", 1, 2 * 1024 * 1024, "01551220" },
        { "1.1.0", "sha2-512", "raw", 1, 1000, "01551340" },
        { "1.1.0", "blake2b-256", "raw", 1, 1000, "0155a0e40220" },
        { "1.1.0", "sha2-256", "dag-pb", 0, 1000, "00701220" },
        { "1.1.0", "sha2-256", "dag-pb", 1, 100_000, "01701220" },
        { "1.0.0", "sha2-256", "dag-pb", 0, 1, null },
        { "1.0.0", "sha2-256", "dag-pb", 0, 1000, null },
        { "1.0.0", "sha2-256", "dag-pb", 0, 256 * 1024, null },
        { "1.0.0", "sha2-256", "dag-pb", 0, 1024 * 1024, null },
        { "1.2.0", "sha2-256", "raw", 1, 1000, "01551220" },   // the peer unrestricted: it and we agree on 1.2.0
    };

    [Theory]
    [MemberData(nameof(Blocks))]
    public async Task Block_LegacyPeerFetchesFromDotnetAndDotnetFetchesFromIt(string version, string hash, string codec, int cidVersion, int size, string? prefix)
    {
        NodePeer.SkipIfUnavailable("js-legacy", "ipfs-bitswap");
        CancellationToken ct = TestContext.Current.CancellationToken;
        await using HeliaNode dotnet = await BitswapInteropTests.Pair.StartDotnetAsync(ct);
        await using JsHeliaPeer js = await StartPeerAsync(version, ct);
        await dotnet.Libp2p.DialAsync(js.Address, ct).AsTask().WaitAsync(s_timeout, ct);
        MultihashHasher hasher = MultihashHashers.All.Single(h => h.Name == hash);
        byte[] fromDotnet = Block(codec, size, size);
        byte[] fromJs = Block(codec, size, size + 1);

        // It fetches from us: its want-block reaches us, our block reaches it in the encoding of the version.
        Cid dotnetCid = CreateCid(hasher, codec, cidVersion, fromDotnet);
        await dotnet.LocalBlockstore.PutAsync(dotnetCid, fromDotnet, ct);
        Assert.Equal(fromDotnet, await GetAsync(js, dotnetCid, ct));
        JsonElement delivered = await js.WaitForAsync(e => IsMessage(e) && CarriesBlock(e, size), s_timeout, ct);
        if (prefix is null)
        {
            Assert.Equal(1, delivered.GetProperty("blocks").GetInt32());
            Assert.Equal(0, delivered.GetProperty("payload").GetArrayLength());
        }
        else
        {
            Assert.Equal(0, delivered.GetProperty("blocks").GetInt32());
            Assert.Equal(prefix, delivered.GetProperty("payload")[0].GetProperty("prefix").GetString());
        }

        // We fetch from it: our want goes out without 1.2.0 fields on older versions, its block is verified and stored.
        JsonElement put = await js.CommandAsync($"put {hash} {codec} {cidVersion} {Convert.ToBase64String(fromJs)}", s_timeout, ct);
        Cid jsCid = Cid.Parse(put.GetProperty("cid").GetString()!);
        Assert.Equal(CreateCid(hasher, codec, cidVersion, fromJs), jsCid);
        ReadOnlyMemory<byte> fetched = await js.WithinAsync(dotnet.Blockstore.GetAsync(jsCid, ct).AsTask(), s_timeout, ct);
        Assert.Equal(fromJs, fetched.ToArray());
        Assert.True(await dotnet.LocalBlockstore.HasAsync(jsCid, ct));
        JsonElement want = (await js.WaitForAsync(e => IsMessage(e) && Wants(e).Any(w => w.GetProperty("cid").GetString() == jsCid.ToString()), s_timeout, ct))
            .GetProperty("wants").EnumerateArray().First(w => w.GetProperty("cid").GetString() == jsCid.ToString());
        Assert.False(want.GetProperty("cancel").GetBoolean());
        if (version != "1.2.0")
        {
            Assert.Equal("Block", want.GetProperty("wantType").GetString());   // want-have does not exist before 1.2.0
            Assert.False(want.GetProperty("sendDontHave").GetBoolean());
        }

        await AssertNegotiatedAsync(js, dotnet.Id, "/ipfs/bitswap/" + version, ct);
    }

    /// <summary>A 1.0.0 message names no CID: the bytes hash (sha2-256) to the multihash of the CIDv1 we asked for, so we take it.</summary>
    [Fact]
    public async Task CidV1Raw_DotnetFetchesFromPeerSpeakingOnly100()
    {
        NodePeer.SkipIfUnavailable("js-legacy", "ipfs-bitswap");
        CancellationToken ct = TestContext.Current.CancellationToken;
        await using HeliaNode dotnet = await BitswapInteropTests.Pair.StartDotnetAsync(ct);
        await using JsHeliaPeer js = await StartPeerAsync("1.0.0", ct);
        await dotnet.Libp2p.DialAsync(js.Address, ct).AsTask().WaitAsync(s_timeout, ct);
        byte[] data = Block("raw", 5000, 42);

        JsonElement put = await js.CommandAsync($"put sha2-256 raw 1 {Convert.ToBase64String(data)}", s_timeout, ct);
        Cid cid = Cid.Parse(put.GetProperty("cid").GetString()!);
        Assert.Equal(Cid.Compute(Multicodec.Raw, data), cid);
        ReadOnlyMemory<byte> fetched = await js.WithinAsync(dotnet.Blockstore.GetAsync(cid, ct).AsTask(), s_timeout, ct);

        Assert.Equal(data, fetched.ToArray());
        Assert.True(await dotnet.LocalBlockstore.HasAsync(cid, ct));
        await AssertNegotiatedAsync(js, dotnet.Id, "/ipfs/bitswap/1.0.0", ct);
    }

    /// <summary>The old peer dials us (so its identify and its first Bitswap stream run on a connection it opened).</summary>
    [Theory]
    [InlineData("1.1.0")]
    [InlineData("1.0.0")]
    public async Task LegacyPeerDialsDotnet_BlocksFlowBothWays(string version)
    {
        NodePeer.SkipIfUnavailable("js-legacy", "ipfs-bitswap");
        CancellationToken ct = TestContext.Current.CancellationToken;
        await using HeliaNode dotnet = await BitswapInteropTests.Pair.StartDotnetAsync(ct);
        await using JsHeliaPeer js = await StartPeerAsync(version, ct);
        byte[] fromDotnet = Block("dag-pb", 300_000, 7);
        byte[] fromJs = Block("dag-pb", 300_000, 8);
        Cid dotnetCid = Cid.CreateV0(Cid.Compute(Multicodec.DagPb, fromDotnet).Hash);   // 1.0.0 can only name CIDv0 blocks
        await dotnet.LocalBlockstore.PutAsync(dotnetCid, fromDotnet, ct);

        await js.CommandAsync($"dial {dotnet.Libp2p.ListenAddresses[0].WithPeerId(dotnet.Id)}", s_timeout, ct);
        Assert.Equal(fromDotnet, await GetAsync(js, dotnetCid, ct));
        JsonElement put = await js.CommandAsync($"put sha2-256 dag-pb 0 {Convert.ToBase64String(fromJs)}", s_timeout, ct);
        Cid jsCid = Cid.Parse(put.GetProperty("cid").GetString()!);
        Assert.Equal(0, jsCid.Version);
        ReadOnlyMemory<byte> fetched = await js.WithinAsync(dotnet.Blockstore.GetAsync(jsCid, ct).AsTask(), s_timeout, ct);

        Assert.Equal(fromJs, fetched.ToArray());
        await AssertNegotiatedAsync(js, dotnet.Id, "/ipfs/bitswap/" + version, ct);
    }

    private static Task<JsHeliaPeer> StartPeerAsync(string version, CancellationToken ct) =>
        version == "1.2.0"
            ? JsHeliaPeer.StartScriptAsync(Script, s_timeout, ct)
            : JsHeliaPeer.StartScriptAsync(Script, s_timeout, ct, "--protocols", version);

    private static async Task<byte[]> GetAsync(JsHeliaPeer js, Cid cid, CancellationToken ct)
    {
        JsonElement got = await js.CommandAsync($"get {cid} {(int)s_timeout.TotalMilliseconds}", s_timeout, ct);
        return Convert.FromBase64String(got.GetProperty("data").GetString()!);
    }

    /// <summary>
    /// The peer opened a stream to us (for its want or its block) and accepted ours (for our want or our block), and
    /// every Bitswap stream between us, either way, negotiated <paramref name="protocol"/>.
    /// </summary>
    private static async Task AssertNegotiatedAsync(JsHeliaPeer js, PeerId dotnet, string protocol, CancellationToken ct)
    {
        JsonElement inbound = await js.WaitForAsync(e => IsStream(e, "inbound"), s_timeout, ct);
        JsonElement outbound = await js.WaitForAsync(e => IsStream(e, "outbound"), s_timeout, ct);
        foreach (JsonElement stream in (JsonElement[])[inbound, outbound, .. js.TakeAll(e => JsHeliaPeer.Is(e, "stream"))])
        {
            Assert.Equal(dotnet.ToString(), stream.GetProperty("peer").GetString());
            Assert.Equal(protocol, stream.GetProperty("protocol").GetString());
        }
    }

    private static bool IsStream(JsonElement e, string direction) =>
        JsHeliaPeer.Is(e, "stream") && e.GetProperty("direction").GetString() == direction;

    private static bool IsMessage(JsonElement e) => JsHeliaPeer.Is(e, "message");

    private static IEnumerable<JsonElement> Wants(JsonElement message) => message.GetProperty("wants").EnumerateArray();

    /// <summary>Whether a received message carries a block of <paramref name="size"/> data bytes (dag-pb adds its framing).</summary>
    private static bool CarriesBlock(JsonElement message, int size) =>
        message.GetProperty("blocks").GetInt32() > 0 || message.GetProperty("payload").EnumerateArray().Any(p => p.GetProperty("size").GetInt32() >= size);

    private static Cid CreateCid(MultihashHasher hasher, string codec, int cidVersion, byte[] data)
    {
        Multihash multihash = hasher.ComputeMultihash(data);
        return cidVersion == 0 ? Cid.CreateV0(multihash) : Cid.CreateV1(codec == "raw" ? Multicodec.Raw : Multicodec.DagPb, multihash);
    }

    /// <summary>Random bytes, as a raw block or wrapped as the data of a dag-pb node (CIDv0 names dag-pb blocks).</summary>
    private static byte[] Block(string codec, int size, int seed)
    {
        byte[] bytes = new byte[size];
        new Random(seed).NextBytes(bytes);
        return codec == "raw" ? bytes : DagPbCodec.Encode(new PBNode(bytes));
    }
}
