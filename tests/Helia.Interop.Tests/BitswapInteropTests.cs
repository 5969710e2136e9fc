using System.Text.Json;
using Helia.Bitswap;
using Helia.Bitswap.Messages;
using Helia.Libp2p.Host;
using Helia.Multiformats;
using Helia.Multiformats.Hashing;

namespace Helia.Interop.Tests;

/// <summary>
/// Issue 6's interop tests: a C# <see cref="HeliaNode"/> and JS Helia with @helia/bitswap (interop/js/helia-peer.mjs)
/// exchange blocks over TCP on 127.0.0.1 in both directions: every hash function both implement, blocks from 1 byte
/// to 2 MiB, and a block nobody has (DONT_HAVE, then a clean cancel on both sides). One JS peer and one C# node,
/// connected by an explicit /ip4/127.0.0.1/tcp/N/p2p/ID dial, serve the whole class (Helia takes a second to load).
/// </summary>
public class BitswapInteropTests(BitswapInteropTests.Pair pair) : IClassFixture<BitswapInteropTests.Pair>
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(30);

    /// <summary>Hash functions JS Helia verifies with (its defaults plus those helia-peer.mjs configures) and we do too.</summary>
    public static TheoryData<string> HashFunctions =>
    [
        "sha2-256", "sha2-512", "sha1", "identity", "sha3-224", "sha3-256", "sha3-384", "sha3-512",
        "keccak-256", "keccak-512", "blake2b-256", "blake2b-512", "blake2s-256", "blake3",
    ];

    public static TheoryData<int> BlockSizes => [1, 1024, 256 * 1024, 1024 * 1024, 2 * 1024 * 1024];

    [Theory]
    [MemberData(nameof(HashFunctions))]
    public async Task Block_EveryHashFunction_JsFetchesFromDotnetAndDotnetFetchesFromJs(string hash)
    {
        NodePeer.SkipIfUnavailable();
        await RoundTripAsync(hash, 100, hash.GetHashCode(StringComparison.Ordinal), TestContext.Current.CancellationToken);
    }

    [Theory]
    [MemberData(nameof(BlockSizes))]
    public async Task Block_OneByteTo2MiB_JsFetchesFromDotnetAndDotnetFetchesFromJs(int size)
    {
        NodePeer.SkipIfUnavailable();
        await RoundTripAsync("sha2-256", size, size, TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task MissingBlock_JsWantsFromDotnet_DontHaveThenJsTimesOutCleanly()
    {
        NodePeer.SkipIfUnavailable();
        CancellationToken ct = TestContext.Current.CancellationToken;
        (HeliaNode dotnet, JsHeliaPeer js) = await pair.GetAsync(ct);
        BitswapService bitswap = dotnet.Bitswap!;
        Cid missing = Cid.Compute(Multicodec.Raw, "nobody has this, asked by js"u8);
        Task<BitswapMessage> want = NextMessageAsync(bitswap, js.Id, m => m.Wantlist.Any(e => e.Cid == missing && !e.Cancel && e.SendDontHave));

        Task<byte[]> get = js.GetAsync(missing, TimeSpan.FromSeconds(2), s_timeout, ct);
        await js.WithinAsync(want, s_timeout, ct);
        JsonElement presence = await js.WaitForAsync(e => JsHeliaPeer.Is(e, "presence") && e.GetProperty("cid").GetString() == missing.ToString(), s_timeout, ct);
        Assert.False(presence.GetProperty("has").GetBoolean());
        Assert.Equal(dotnet.Id.ToString(), presence.GetProperty("sender").GetString());
        Assert.False(get.IsCompleted);   // DONT_HAVE does not end the want; JS's 2 s abort does

        JsHeliaException error = await Assert.ThrowsAsync<JsHeliaException>(() => get);
        Assert.Contains(error.Name, (string[])["LoadBlockFailedError", "AbortError"]);   // Helia wraps the broker's abort
        Assert.DoesNotContain(missing.ToString(), await js.WantlistAsync(s_timeout, ct));

        // @helia/bitswap 4.0.19 never puts a cancel on the wire (WantList.sendMessages skips cancelled entries), so our
        // ledger keeps the want until the peer goes; what matters is that we keep serving it.
        byte[] later = RandomBytes(99, 5000);
        Cid laterCid = Cid.Compute(Multicodec.Raw, later);
        await dotnet.LocalBlockstore.PutAsync(laterCid, later, ct);
        Assert.Equal(later, await js.GetAsync(laterCid, s_timeout, s_timeout, ct));
        Assert.False(await js.HasAsync(missing, s_timeout, ct));
    }

    /// <summary>
    /// JS Helia resets an inbound Bitswap stream that stays silent for its messageReceiveTimeout (10 s by default; 300
    /// ms here), while we keep one outbound stream per peer: the next message must go out on a new stream, not be lost.
    /// </summary>
    [Fact]
    public async Task IdleStreamResetByJs_NextWantAndNextBlockStillArrive()
    {
        NodePeer.SkipIfUnavailable();
        CancellationToken ct = TestContext.Current.CancellationToken;
        await using HeliaNode dotnet = await Pair.StartDotnetAsync(ct);
        await using JsHeliaPeer js = await JsHeliaPeer.StartAsync(s_timeout, ct, "--receive-timeout", "300");
        await dotnet.Libp2p.DialAsync(js.Address, ct).AsTask().WaitAsync(s_timeout, ct);
        byte[][] blocks = [RandomBytes(1, 2000), RandomBytes(2, 2000), RandomBytes(3, 2000)];

        Cid first = await js.PutAsync("sha2-256", blocks[0], s_timeout, ct);
        Assert.Equal(blocks[0], (await js.WithinAsync(dotnet.Blockstore.GetAsync(first, ct).AsTask(), s_timeout, ct)).ToArray());
        await js.WaitForAsync(e => IsReset(e, dotnet.Id), s_timeout, ct);

        Cid second = await js.PutAsync("sha2-256", blocks[1], s_timeout, ct);   // our want goes out after the reset
        Assert.Equal(blocks[1], (await js.WithinAsync(dotnet.Blockstore.GetAsync(second, ct).AsTask(), s_timeout, ct)).ToArray());
        await js.WaitForAsync(e => IsReset(e, dotnet.Id), s_timeout, ct);

        Cid third = Cid.Compute(Multicodec.Raw, blocks[2]);                     // and so does our block
        await dotnet.LocalBlockstore.PutAsync(third, blocks[2], ct);
        Assert.Equal(blocks[2], await js.GetAsync(third, s_timeout, s_timeout, ct));
    }

    [Fact]
    public async Task MissingBlock_DotnetWantsFromJs_DontHaveThenDotnetTimesOutAndCancels()
    {
        NodePeer.SkipIfUnavailable();
        CancellationToken ct = TestContext.Current.CancellationToken;
        (HeliaNode dotnet, JsHeliaPeer js) = await pair.GetAsync(ct);
        BitswapService bitswap = dotnet.Bitswap!;
        Cid missing = Cid.Compute(Multicodec.Raw, "nobody has this, asked by dotnet"u8);
        Task<BitswapMessage> dontHave = NextMessageAsync(bitswap, js.Id, m => m.BlockPresences.Contains(new BlockPresence(missing, BlockPresenceType.DontHave)));
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);

        Task<ReadOnlyMemory<byte>> get = dotnet.Blockstore.GetAsync(missing, timeout.Token).AsTask();
        await js.WaitForAsync(e => IsWants(e, dotnet.Id, "wants", missing), s_timeout, ct);
        Assert.Contains(missing.ToString(), await js.PeerWantlistAsync(dotnet.Id, s_timeout, ct));
        await js.WithinAsync(dontHave, s_timeout, ct);
        timeout.CancelAfter(TimeSpan.FromMilliseconds(200));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => get.WaitAsync(s_timeout, ct));
        Assert.DoesNotContain(missing, bitswap.Client.GetWantlist());
        await js.WaitForAsync(e => IsWants(e, dotnet.Id, "cancels", missing), s_timeout, ct);
        Assert.DoesNotContain(missing.ToString(), await js.PeerWantlistAsync(dotnet.Id, s_timeout, ct));
        Assert.False(await dotnet.LocalBlockstore.HasAsync(missing, ct));
    }

    [Fact]
    public async Task JsDialsDotnet_BlocksFlowBothWays()
    {
        NodePeer.SkipIfUnavailable();
        CancellationToken ct = TestContext.Current.CancellationToken;
        await using HeliaNode dotnet = await Pair.StartDotnetAsync(ct);
        await using JsHeliaPeer js = await JsHeliaPeer.StartAsync(s_timeout, ct);
        byte[] fromDotnet = RandomBytes(7, 300_000);
        byte[] fromJs = RandomBytes(8, 300_000);
        Cid dotnetCid = Cid.Compute(Multicodec.Raw, fromDotnet);
        await dotnet.LocalBlockstore.PutAsync(dotnetCid, fromDotnet, ct);

        Multiaddr address = dotnet.Libp2p.ListenAddresses[0].WithPeerId(dotnet.Id);
        await js.CommandAsync($"dial {address}", s_timeout, ct);

        Assert.Equal(fromDotnet, await js.GetAsync(dotnetCid, s_timeout, s_timeout, ct));
        Cid jsCid = await js.PutAsync("sha2-256", fromJs, s_timeout, ct);
        Assert.Equal(fromJs, (await js.WithinAsync(dotnet.Blockstore.GetAsync(jsCid, ct).AsTask(), s_timeout, ct)).ToArray());
        Assert.Contains(dotnet.Libp2p.Connections, c => c.RemotePeer == js.Id);
    }

    /// <summary>JS fetches a block of ours, then we fetch one of JS's; both sides must name each block with the same CID.</summary>
    private async Task RoundTripAsync(string hash, int size, int seed, CancellationToken ct)
    {
        (HeliaNode dotnet, JsHeliaPeer js) = await pair.GetAsync(ct);
        MultihashHasher hasher = MultihashHashers.All.Single(h => h.Name == hash);
        byte[] fromDotnet = RandomBytes(seed, size);
        byte[] fromJs = RandomBytes(seed + 1, size);

        Cid dotnetCid = Cid.CreateV1(Multicodec.Raw, hasher.ComputeMultihash(fromDotnet));
        await dotnet.LocalBlockstore.PutAsync(dotnetCid, fromDotnet, ct);
        Assert.Equal(fromDotnet, await js.GetAsync(dotnetCid, s_timeout, s_timeout, ct));

        Cid jsCid = await js.PutAsync(hash, fromJs, s_timeout, ct);
        Assert.Equal(Cid.CreateV1(Multicodec.Raw, hasher.ComputeMultihash(fromJs)), jsCid);
        ReadOnlyMemory<byte> fetched = await js.WithinAsync(dotnet.Blockstore.GetAsync(jsCid, ct).AsTask(), s_timeout, ct);
        Assert.Equal(fromJs, fetched.ToArray());
        Assert.True(await dotnet.LocalBlockstore.HasAsync(jsCid, ct));
    }

    private static bool IsReset(JsonElement e, PeerId from) =>
        JsHeliaPeer.Is(e, "inbound-closed") && e.GetProperty("from").GetString() == from.ToString() && e.GetProperty("error").GetString() == "TimeoutError";

    private static bool IsWants(JsonElement e, PeerId from, string list, Cid cid) =>
        JsHeliaPeer.Is(e, "wants") && e.GetProperty("from").GetString() == from.ToString() && JsHeliaPeer.Strings(e.GetProperty(list)).Contains(cid.ToString());

    /// <summary>Completes with the first message from <paramref name="peer"/> that matches, once the engine has taken it in.</summary>
    internal static Task<BitswapMessage> NextMessageAsync(BitswapService service, PeerId peer, Func<BitswapMessage, bool> match)
    {
        var received = new TaskCompletionSource<BitswapMessage>(TaskCreationOptions.RunContinuationsAsynchronously);
        void Handler(PeerId from, BitswapMessage message)
        {
            if (from == peer && match(message) && received.TrySetResult(message))
            {
                service.MessageReceived -= Handler;
            }
        }

        service.MessageReceived += Handler;
        return received.Task;
    }

    private static byte[] RandomBytes(int seed, int length)
    {
        byte[] bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    /// <summary>A C# node and a JS Helia peer, the C# node dialling the JS one; started on first use.</summary>
    public sealed class Pair : IAsyncDisposable
    {
        private readonly SemaphoreSlim _gate = new(1, 1);
        private HeliaNode? _dotnet;
        private JsHeliaPeer? _js;

        internal static async Task<HeliaNode> StartDotnetAsync(CancellationToken cancellationToken) =>
            await new HeliaBuilder()
                .UseLibp2p(new Libp2pHostOptions { ListenAddresses = [Multiaddr.Parse("/ip4/127.0.0.1/tcp/0")] })
                .UseBitswap()
                .BuildAsync(cancellationToken);

        internal async Task<(HeliaNode Dotnet, JsHeliaPeer Js)> GetAsync(CancellationToken cancellationToken)
        {
            await _gate.WaitAsync(cancellationToken);
            try
            {
                if (_dotnet is null || _js is null)
                {
                    _dotnet = await StartDotnetAsync(cancellationToken);
                    _js = await JsHeliaPeer.StartAsync(s_timeout, cancellationToken);
                    await _dotnet.Libp2p.DialAsync(_js.Address, cancellationToken).AsTask().WaitAsync(s_timeout, cancellationToken);
                    // Our dial returns before JS has identified us; a test that starts earlier sees JS's first wants
                    // without sendDontHave (the order of tests, and so which one comes first, varies with the path).
                    await _js.WaitForBitswapPeerAsync(_dotnet.Id, s_timeout, cancellationToken);
                }

                return (_dotnet, _js);
            }
            finally
            {
                _gate.Release();
            }
        }

        public async ValueTask DisposeAsync()
        {
            if (_js is not null)
            {
                await _js.DisposeAsync();
            }

            if (_dotnet is not null)
            {
                await _dotnet.DisposeAsync();
            }

            _gate.Dispose();
        }
    }
}
