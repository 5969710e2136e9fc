using System.Security.Cryptography;
using System.Text.Json;
using Helia.Bitswap;
using Helia.Bitswap.Messages;
using Helia.Core.Blocks;
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
        { "1.2.0", "sha2-512", "raw", 1, 256 * 1024, "01551340" },
    };

    [Theory]
    [MemberData(nameof(Blocks))]
    public async Task Block_LegacyPeerFetchesFromDotnetAndDotnetFetchesFromIt(string version, string hash, string codec, int cidVersion, int size, string? prefix)
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        await using Peers peers = await Peers.StartAsync(version, dial: true, ct);
        (HeliaNode dotnet, JsHeliaPeer js) = peers;
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
        Cid jsCid = await PutAsync(js, hash, codec, cidVersion, fromJs, ct);
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
        else
        {
            Assert.Equal("Have", want.GetProperty("wantType").GetString());    // our session asks who has it first
            Assert.True(want.GetProperty("sendDontHave").GetBoolean());
        }

        await AssertNegotiatedAsync(js, dotnet.Id, "/ipfs/bitswap/" + version, ct);
    }

    /// <summary>A 1.0.0 message names no CID: the bytes hash (sha2-256) to the multihash of the CIDv1 we asked for, so we take it.</summary>
    [Fact]
    public async Task CidV1Raw_DotnetFetchesFromPeerSpeakingOnly100()
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        await using Peers peers = await Peers.StartAsync("1.0.0", dial: true, ct);
        (HeliaNode dotnet, JsHeliaPeer js) = peers;
        byte[] data = Block("raw", 5000, 42);

        Cid cid = await PutAsync(js, "sha2-256", "raw", 1, data, ct);
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
        CancellationToken ct = TestContext.Current.CancellationToken;
        await using Peers peers = await Peers.StartAsync(version, dial: false, ct);
        (HeliaNode dotnet, JsHeliaPeer js) = peers;
        byte[] fromDotnet = Block("dag-pb", 300_000, 7);
        byte[] fromJs = Block("dag-pb", 300_000, 8);
        Cid dotnetCid = CidV0(fromDotnet);   // 1.0.0 can only name CIDv0 blocks
        await dotnet.LocalBlockstore.PutAsync(dotnetCid, fromDotnet, ct);

        await js.CommandAsync($"dial {dotnet.Libp2p.ListenAddresses[0].WithPeerId(dotnet.Id)}", s_timeout, ct);
        Assert.Equal(fromDotnet, await GetAsync(js, dotnetCid, ct));
        Cid jsCid = await PutAsync(js, "sha2-256", "dag-pb", 0, fromJs, ct);
        Assert.Equal(0, jsCid.Version);
        ReadOnlyMemory<byte> fetched = await js.WithinAsync(dotnet.Blockstore.GetAsync(jsCid, ct).AsTask(), s_timeout, ct);

        Assert.Equal(fromJs, fetched.ToArray());
        await AssertNegotiatedAsync(js, dotnet.Id, "/ipfs/bitswap/" + version, ct);
    }

    /// <summary>
    /// Forty 256 KiB blocks each way, all wanted at once: our answers go out in the version's encoding, every message
    /// within the 4 MiB limit, and its answers (however it batches them) are all taken in and verified.
    /// </summary>
    [Theory]
    [InlineData("1.1.0")]
    [InlineData("1.0.0")]
    public async Task ManyBlocks_WantedAtOnce_BothWays(string version)
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        await using Peers peers = await Peers.StartAsync(version, dial: true, ct);
        (HeliaNode dotnet, JsHeliaPeer js) = peers;
        const int Count = 40;
        byte[][] ours = [.. Enumerable.Range(0, Count).Select(i => Block("dag-pb", 256 * 1024, 1000 + i))];
        byte[][] theirs = [.. Enumerable.Range(0, Count).Select(i => Block("dag-pb", 256 * 1024, 2000 + i))];
        Cid[] ourCids = [.. ours.Select(CidV0)];
        foreach ((Cid cid, byte[] data) in ourCids.Zip(ours))
        {
            await dotnet.LocalBlockstore.PutAsync(cid, data, ct);
        }

        JsonElement got = await js.CommandAsync($"get-many {(int)s_timeout.TotalMilliseconds} {string.Join(' ', ourCids.Select(c => c.ToString()))}", s_timeout, ct);
        Assert.Equal(ours.Select(b => Convert.ToHexStringLower(SHA256.HashData(b))), JsHeliaPeer.Strings(got.GetProperty("sha256")));
        // Every message it decoded was printed before its answer, so all of ours are in the backlog now.
        IReadOnlyList<JsonElement> delivered = js.TakeAll(e => IsMessage(e) && CarriesBlock(e, 1));
        Assert.Equal(Count, delivered.Sum(m => m.GetProperty("blocks").GetInt32() + m.GetProperty("payload").GetArrayLength()));
        Assert.All(delivered, m => Assert.InRange(m.GetProperty("size").GetInt32(), 1, 4 * 1024 * 1024));
        Assert.All(delivered, m => Assert.Equal(0, version == "1.0.0" ? m.GetProperty("payload").GetArrayLength() : m.GetProperty("blocks").GetInt32()));

        var jsCids = new List<Cid>();
        foreach (byte[] data in theirs)
        {
            jsCids.Add(await PutAsync(js, "sha2-256", "dag-pb", 0, data, ct));
        }

        ReadOnlyMemory<byte>[] fetched = await js.WithinAsync(Task.WhenAll(jsCids.Select(c => dotnet.Blockstore.GetAsync(c, ct).AsTask())), s_timeout, ct);
        Assert.Equal(theirs, fetched.Select(m => m.ToArray()));
        await AssertNegotiatedAsync(js, dotnet.Id, "/ipfs/bitswap/" + version, ct);
    }

    /// <summary>
    /// Neither version has HAVE/DONT_HAVE: it wants a block we lack and hears nothing from us until a put on our
    /// networked blockstore sends it the block; we want a block it lacks, give up, and our cancel reaches it.
    /// </summary>
    [Theory]
    [InlineData("1.1.0")]
    [InlineData("1.0.0")]
    public async Task MissingBlock_PutLaterSendsIt_AndOurCancelArrives(string version)
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        await using Peers peers = await Peers.StartAsync(version, dial: true, ct);
        (HeliaNode dotnet, JsHeliaPeer js) = peers;
        byte[] later = Block("dag-pb", 5000, 5);
        Cid laterCid = CidV0(later);
        Task<BitswapMessage> wanted = BitswapInteropTests.NextMessageAsync(dotnet.Bitswap!, js.Id, m => m.Wantlist.Any(e => e.Cid == laterCid && !e.Cancel));

        Task<byte[]> get = GetAsync(js, laterCid, ct);
        await js.WithinAsync(wanted, s_timeout, ct);
        Assert.Contains(laterCid, dotnet.Bitswap!.GetWantlist(js.Id));
        Assert.False(get.IsCompleted);
        await dotnet.Blockstore.PutAsync(laterCid, later, ct);
        Assert.Equal(later, await get.WaitAsync(s_timeout, ct));
        Assert.Empty(js.TakeAll(e => IsMessage(e) && e.GetProperty("presences").GetInt32() > 0));

        Cid lacking = CidV0(Block("dag-pb", 100, 6));
        using var giveUp = CancellationTokenSource.CreateLinkedTokenSource(ct);
        Task<ReadOnlyMemory<byte>> ourGet = dotnet.Blockstore.GetAsync(lacking, giveUp.Token).AsTask();
        await js.WaitForAsync(e => IsMessage(e) && Wants(e).Any(w => IsEntry(w, lacking, cancel: false)), s_timeout, ct);
        giveUp.CancelAfter(TimeSpan.FromMilliseconds(200));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => ourGet.WaitAsync(s_timeout, ct));
        await js.WaitForAsync(e => IsMessage(e) && Wants(e).Any(w => IsEntry(w, lacking, cancel: true)), s_timeout, ct);
        await AssertNegotiatedAsync(js, dotnet.Id, "/ipfs/bitswap/" + version, ct);
    }

    /// <summary>
    /// A session over two old peers at once, one speaking only 1.1.0 and one only 1.0.0, both holding the same hundred
    /// 64 KiB blocks: neither ever answers a want-have (ours reach them as want-blocks), yet every block arrives,
    /// verified, with duplicates bounded (only broadcasts reach both), and each peer kept to its own version.
    /// </summary>
    [Fact]
    public async Task Session_TwoOldPeersOfDifferentVersions_FetchesEverythingWithBoundedDuplicates()
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        await using Peers v110 = await Peers.StartAsync("1.1.0", dial: true, ct);
        (HeliaNode dotnet, JsHeliaPeer js110) = v110;
        await using JsHeliaPeer js100 = await JsHeliaPeer.StartScriptAsync(Script, s_timeout, ct, "--protocols", "1.0.0");
        await dotnet.Libp2p.DialAsync(js100.Address, ct).AsTask().WaitAsync(s_timeout, ct);
        byte[][] blocks = [.. Enumerable.Range(0, 100).Select(i => Block("dag-pb", 64 * 1024, 3000 + i))];
        Cid[] cids = [.. blocks.Select(CidV0)];
        foreach (byte[] data in blocks)
        {
            await PutAsync(js110, "sha2-256", "dag-pb", 0, data, ct);
            await PutAsync(js100, "sha2-256", "dag-pb", 0, data, ct);
        }

        IBlockstore session = dotnet.Blockstore.CreateSession(cids[0]);
        Assert.Equal(blocks[0], (await js110.WithinAsync(session.GetAsync(cids[0], ct).AsTask(), s_timeout, ct)).ToArray());
        ReadOnlyMemory<byte>[] rest = await js110.WithinAsync(Task.WhenAll(cids.Skip(1).Select(c => session.GetAsync(c, ct).AsTask())), s_timeout, ct);

        Assert.Equal(blocks.Skip(1), rest.Select(m => m.ToArray()));
        long total = blocks.Sum(b => (long)b.Length);
        BitswapStat stat = dotnet.Bitswap!.GetStat();
        Assert.Equal(total, stat.DataReceived);
        Assert.InRange(stat.DuplicateDataReceived, 0, total / 10);

        // Each old peer also fetches a block from us, so a Bitswap stream goes each way with each of them whichever
        // peer won the race for the session's blocks (a peer whose want was cancelled in time never sent us one).
        byte[] ours = Block("dag-pb", 1000, 3200);
        Cid ourCid = CidV0(ours);
        await dotnet.LocalBlockstore.PutAsync(ourCid, ours, ct);
        Assert.Equal(ours, await GetAsync(js110, ourCid, ct));
        Assert.Equal(ours, await GetAsync(js100, ourCid, ct));
        await AssertNegotiatedAsync(js110, dotnet.Id, "/ipfs/bitswap/1.1.0", ct);
        await AssertNegotiatedAsync(js100, dotnet.Id, "/ipfs/bitswap/1.0.0", ct);
    }

    /// <summary>With 1.2.0 the old peer answers presences: a block it lacks gets DONT_HAVE (the older versions have none).</summary>
    [Fact]
    public async Task MissingBlock_Over120_ItAnswersDontHave()
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        await using Peers peers = await Peers.StartAsync("1.2.0", dial: true, ct);
        (HeliaNode dotnet, JsHeliaPeer js) = peers;
        Cid lacking = Cid.Compute(Multicodec.Raw, "the old peer does not have this"u8);
        Task<BitswapMessage> dontHave = BitswapInteropTests.NextMessageAsync(dotnet.Bitswap!, js.Id, m => m.BlockPresences.Contains(new BlockPresence(lacking, BlockPresenceType.DontHave)));
        using var giveUp = CancellationTokenSource.CreateLinkedTokenSource(ct);

        Task<ReadOnlyMemory<byte>> get = dotnet.Blockstore.GetAsync(lacking, giveUp.Token).AsTask();
        await js.WithinAsync(dontHave, s_timeout, ct);
        Assert.False(get.IsCompleted);
        await giveUp.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => get.WaitAsync(s_timeout, ct));
        await AssertNegotiatedAsync(js, dotnet.Id, "/ipfs/bitswap/1.2.0", ct);
    }

    /// <summary>Wants made before the connection exists go out when it opens: its full wantlist to us, ours to it.</summary>
    [Theory]
    [InlineData("1.1.0")]
    [InlineData("1.0.0")]
    public async Task WantsMadeBeforeConnecting_GoOutWhenThePeerConnects(string version)
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        await using Peers peers = await Peers.StartAsync(version, dial: false, ct);
        (HeliaNode dotnet, JsHeliaPeer js) = peers;
        byte[] fromDotnet = Block("dag-pb", 20_000, 11);
        byte[] fromJs = Block("dag-pb", 20_000, 12);
        Cid dotnetCid = CidV0(fromDotnet);
        await dotnet.LocalBlockstore.PutAsync(dotnetCid, fromDotnet, ct);
        Cid jsCid = await PutAsync(js, "sha2-256", "dag-pb", 0, fromJs, ct);
        Task<BitswapMessage> fullWantlist = BitswapInteropTests.NextMessageAsync(dotnet.Bitswap!, js.Id, m => m.FullWantlist && m.Wantlist.Any(e => e.Cid == dotnetCid));

        Task<byte[]> jsGet = GetAsync(js, dotnetCid, ct);
        Task<ReadOnlyMemory<byte>> dotnetGet = dotnet.Blockstore.GetAsync(jsCid, ct).AsTask();
        await dotnet.Libp2p.DialAsync(js.Address, ct).AsTask().WaitAsync(s_timeout, ct);

        await js.WithinAsync(fullWantlist, s_timeout, ct);
        Assert.Equal(fromDotnet, await jsGet.WaitAsync(s_timeout, ct));
        Assert.Equal(fromJs, (await js.WithinAsync(dotnetGet, s_timeout, ct)).ToArray());
        await AssertNegotiatedAsync(js, dotnet.Id, "/ipfs/bitswap/" + version, ct);
    }


    /// <summary>Stores a block in the old peer (through ipfs-bitswap, which tells peers that want it); returns its CID.</summary>
    private static async Task<Cid> PutAsync(JsHeliaPeer js, string hash, string codec, int cidVersion, byte[] data, CancellationToken ct)
    {
        JsonElement put = await js.CommandAsync($"put {hash} {codec} {cidVersion} {Convert.ToBase64String(data)}", s_timeout, ct);
        return Cid.Parse(put.GetProperty("cid").GetString()!);
    }

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

    private static bool IsEntry(JsonElement want, Cid cid, bool cancel) =>
        want.GetProperty("cid").GetString() == cid.ToString() && want.GetProperty("cancel").GetBoolean() == cancel;

    private static Cid CidV0(byte[] dagPb) => Cid.CreateV0(Cid.Compute(Multicodec.DagPb, dagPb).Hash);

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

    /// <summary>A fresh C# node and old peer (offering only <c>version</c>; "1.2.0" leaves it unrestricted), killed at the end.</summary>
    private sealed class Peers(HeliaNode dotnet, JsHeliaPeer js) : IAsyncDisposable
    {
        public static async Task<Peers> StartAsync(string version, bool dial, CancellationToken ct)
        {
            NodePeer.SkipIfUnavailable("js-legacy", "ipfs-bitswap");
            HeliaNode dotnet = await BitswapInteropTests.Pair.StartDotnetAsync(ct);
            JsHeliaPeer? js = null;
            try
            {
                js = version == "1.2.0"
                    ? await JsHeliaPeer.StartScriptAsync(Script, s_timeout, ct)
                    : await JsHeliaPeer.StartScriptAsync(Script, s_timeout, ct, "--protocols", version);
                if (dial)
                {
                    await dotnet.Libp2p.DialAsync(js.Address, ct).AsTask().WaitAsync(s_timeout, ct);
                }

                return new Peers(dotnet, js);
            }
            catch
            {
                if (js is not null)
                {
                    await js.DisposeAsync();
                }

                await dotnet.DisposeAsync();
                throw;
            }
        }

        public void Deconstruct(out HeliaNode node, out JsHeliaPeer peer) => (node, peer) = (dotnet, js);

        public async ValueTask DisposeAsync()
        {
            await js.DisposeAsync();
            await dotnet.DisposeAsync();
        }
    }
}
