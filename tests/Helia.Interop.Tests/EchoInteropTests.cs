using System.Text.Json;
using Helia.Libp2p.Host;
using Helia.Libp2p.Security;
using Helia.Libp2p.Tests.Host;
using Helia.Libp2p.Transports.Tcp;
using Helia.Multiformats;

namespace Helia.Interop.Tests;

/// <summary>
/// Issue 3's acceptance tests: our stack (TCP + Noise + Yamux via <see cref="ConnectionUpgrader"/>) against js-libp2p
/// (interop/js/echo-peer.mjs) in both directions.
/// </summary>
public class EchoInteropTests
{
    private const string Script = "echo-peer.mjs";
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(60);
    private static readonly Multiaddr s_loopback = Multiaddr.Parse("/ip4/127.0.0.1/tcp/0");

    [Fact]
    public async Task DotnetDialsJs_ConnectsWithRightPeerIds_And100ConcurrentStreamsEcho1MiB()
    {
        NodePeer.SkipIfUnavailable();
        CancellationToken ct = TestContext.Current.CancellationToken;
        await using NodePeer js = NodePeer.Start(Script);
        JsonElement info = await js.ReadJsonAsync(s_timeout, ct);
        await using var peer = new TestPeer(new TcpTransport());

        Libp2pConnection connection = await peer.DialAsync(Multiaddr.Parse(info.GetProperty("multiaddr").GetString()!), ct).WaitAsync(s_timeout, ct);

        Assert.Equal(PeerId.Parse(info.GetProperty("peerId").GetString()!), connection.RemotePeer);
        byte[][] payloads = [.. Enumerable.Range(0, 100).Select(i => RandomBytes(i, 1 << 20))];
        byte[][] echoed = await Task.WhenAll(payloads.Select(p => TestPeer.EchoThroughAsync(connection, p, ct))).WaitAsync(s_timeout, ct);
        for (int i = 0; i < payloads.Length; i++)
        {
            Assert.True(payloads[i].AsSpan().SequenceEqual(echoed[i]), $"stream {i}: {echoed[i].Length} bytes came back");
        }
    }

    [Fact]
    public async Task DotnetDialsJs_OneStreamEchoes64MiB()
    {
        NodePeer.SkipIfUnavailable();
        CancellationToken ct = TestContext.Current.CancellationToken;
        await using NodePeer js = NodePeer.Start(Script);
        JsonElement info = await js.ReadJsonAsync(s_timeout, ct);
        await using var peer = new TestPeer(new TcpTransport());
        Libp2pConnection connection = await peer.DialAsync(Multiaddr.Parse(info.GetProperty("multiaddr").GetString()!), ct).WaitAsync(s_timeout, ct);

        byte[] payload = RandomBytes(64, 64 << 20);
        byte[] echoed = await TestPeer.EchoThroughAsync(connection, payload, ct).WaitAsync(s_timeout, ct);

        Assert.Equal(payload.Length, echoed.Length);
        Assert.True(payload.AsSpan().SequenceEqual(echoed));
    }

    [Fact]
    public async Task DotnetDialsJs_WrongPeerId_FailsNamingBothIds()
    {
        NodePeer.SkipIfUnavailable();
        CancellationToken ct = TestContext.Current.CancellationToken;
        await using NodePeer js = NodePeer.Start(Script);
        JsonElement info = await js.ReadJsonAsync(s_timeout, ct);
        await using var peer = new TestPeer(new TcpTransport());
        await using var stranger = new TestPeer(new TcpTransport());
        Multiaddr wrong = Multiaddr.Parse(info.GetProperty("multiaddr").GetString()!).WithPeerId(stranger.Id);

        var error = await Assert.ThrowsAsync<PeerIdMismatchException>(() => peer.DialAsync(wrong, ct).WaitAsync(s_timeout, ct));

        Assert.Contains(stranger.Id.ToString(), error.Message, StringComparison.Ordinal);
        Assert.Contains(info.GetProperty("peerId").GetString()!, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task JsDialsDotnet_ConnectsWithRightPeerIds_And100ConcurrentStreamsEcho1MiB()
    {
        NodePeer.SkipIfUnavailable();
        CancellationToken ct = TestContext.Current.CancellationToken;
        await using var peer = new TestPeer(new TcpTransport());

        JsonElement result = await JsDialsAndEchoesAsync(peer, streams: 100, size: 1 << 20, ct);

        Assert.Equal(peer.Id.ToString(), result.GetProperty("remotePeer").GetString());
        Libp2pConnection inbound = await peer.Inbound.Reader.ReadAsync(ct).AsTask().WaitAsync(s_timeout, ct);
        Assert.False(inbound.IsInitiator);
        Assert.Equal(PeerId.Parse(result.GetProperty("peerId").GetString()!), inbound.RemotePeer);
    }

    [Fact]
    public async Task JsDialsDotnet_OneStreamEchoes64MiB()
    {
        NodePeer.SkipIfUnavailable();
        CancellationToken ct = TestContext.Current.CancellationToken;
        await using var peer = new TestPeer(new TcpTransport());

        await JsDialsAndEchoesAsync(peer, streams: 1, size: 64 << 20, ct);
    }

    /// <summary>The js node dials <paramref name="peer"/> and echoes through it; its report must say every stream came back whole.</summary>
    private static async Task<JsonElement> JsDialsAndEchoesAsync(TestPeer peer, int streams, int size, CancellationToken cancellationToken)
    {
        Multiaddr address = await peer.ListenAsync(s_loopback, cancellationToken);
        await using NodePeer js = NodePeer.Start(
            Script, "--dial", address.ToString(), "--streams", $"{streams}", "--size", size.ToString(System.Globalization.CultureInfo.InvariantCulture));
        JsonElement result = await js.ReadJsonAsync(s_timeout, cancellationToken);

        Assert.False(result.TryGetProperty("error", out JsonElement error), error.ToString());
        Assert.True(result.GetProperty("ok").GetBoolean());
        return result;
    }

    private static byte[] RandomBytes(int seed, int length)
    {
        byte[] bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }
}
