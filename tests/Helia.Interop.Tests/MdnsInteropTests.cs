using System.Text.Json;
using System.Threading.Channels;
using Helia.Libp2p;
using Helia.Libp2p.Crypto;
using Helia.Libp2p.Discovery.Mdns;
using Helia.Libp2p.Host;
using Helia.Libp2p.Protocols.Identify;
using Helia.Libp2p.Protocols.Ping;
using Helia.Multiformats;

namespace Helia.Interop.Tests;

/// <summary>
/// A C# host and a js-libp2p node with @libp2p/mdns (interop/js/mdns-peer.mjs) find each other by mDNS in both
/// directions, connect, identify each other and ping both ways. Multicast must stay on this machine, so this runs only
/// inside a loopback-only network namespace (scripts/test.sh as root), and is skipped with the reason elsewhere.
/// </summary>
public class MdnsInteropTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task Mdns_CSharpHostAndJsLibp2p_DiscoverConnectIdentifyAndPing()
    {
        await PrivateNetwork.SkipUnlessContainedAsync(TestContext.Current.CancellationToken);
        NodePeer.SkipIfUnavailable();
        CancellationToken ct = TestContext.Current.CancellationToken;
        using PrivateKey key = Ed25519PrivateKey.Generate();
        await using Libp2pHost host = Libp2pHost.Create(
            new Libp2pHostOptions
            {
                ListenAddresses = [Multiaddr.Parse("/ip4/127.0.0.1/tcp/0")],
                EnableMdns = true,
                Mdns = new MdnsOptions { QueryInterval = TimeSpan.FromSeconds(1) },
            },
            key);
        var discovered = Channel.CreateUnbounded<PeerEventArgs>();
        var identified = Channel.CreateUnbounded<PeerEventArgs>();
        host.PeerDiscovered += (_, e) => discovered.Writer.TryWrite(e);
        host.PeerIdentified += (_, e) => identified.Writer.TryWrite(e);

        await using NodePeer js = NodePeer.Start("mdns-peer.mjs");
        var seen = new List<JsonElement>();
        JsonElement ready = await WaitForAsync(js, seen, e => Is(e, "ready", null), ct);
        PeerId jsId = PeerId.Parse(ready.GetProperty("peerId").GetString()!);
        string jsAgent = ready.GetProperty("agentVersion").GetString()!;

        await host.StartAsync(ct);

        // js -> C#: our mDNS hears the js node. C# -> js: the js node hears us.
        await WaitForPeerAsync(discovered, jsId, ct);
        await WaitForAsync(js, seen, e => Is(e, "discovery", host.Id), ct);

        // Identify gives each side the other's agent version and protocols.
        await WaitForPeerAsync(identified, jsId, ct);
        PeerRecord jsRecord = host.PeerStore.Get(jsId)!;
        Assert.Equal(jsAgent, jsRecord.AgentVersion);
        Assert.Contains(PingService.ProtocolId, jsRecord.Protocols);
        Assert.Contains(IdentifyService.ProtocolId, jsRecord.Protocols);
        JsonElement jsIdentify = await WaitForAsync(js, seen, e => Is(e, "identify", host.Id), ct);
        Assert.Equal(IdentifyOptions.DefaultAgentVersion, jsIdentify.GetProperty("agentVersion").GetString());
        string[] ourProtocols = [.. jsIdentify.GetProperty("protocols").EnumerateArray().Select(p => p.GetString()!)];
        Assert.Contains(PingService.ProtocolId, ourProtocols);
        Assert.Contains(IdentifyService.PushProtocolId, ourProtocols);

        // Ping both ways (the js node pings us after identify).
        TimeSpan rtt = await host.Ping.PingAsync(jsId, ct).WaitAsync(Timeout, ct);
        Assert.InRange(rtt, TimeSpan.Zero, Timeout);
        JsonElement pong = await WaitForAsync(js, seen, e => Is(e, "ping", host.Id) || IsError(e, "ping"), ct);
        Assert.True(pong.GetProperty("event").GetString() == "ping", $"the js node's ping failed; its events: {string.Join(Environment.NewLine, seen)}");
    }

    private static bool Is(JsonElement e, string kind, PeerId? peer) =>
        e.GetProperty("event").GetString() == kind
        && (peer is null || (e.TryGetProperty("peer", out JsonElement p) && p.GetString() == peer.Value.ToString()));

    private static bool IsError(JsonElement e, string command) =>
        e.GetProperty("event").GetString() == "error" && e.GetProperty("command").GetString() == command;

    /// <summary>The first event, already read or still to come, that matches.</summary>
    private static async Task<JsonElement> WaitForAsync(NodePeer js, List<JsonElement> seen, Func<JsonElement, bool> match, CancellationToken cancellationToken)
    {
        foreach (JsonElement old in seen)
        {
            if (match(old))
            {
                return old;
            }
        }

        while (true)
        {
            JsonElement next = await js.ReadJsonAsync(Timeout, cancellationToken);
            seen.Add(next);
            if (match(next))
            {
                return next;
            }
        }
    }

    private static async Task WaitForPeerAsync(Channel<PeerEventArgs> events, PeerId peer, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Timeout);
        await foreach (PeerEventArgs e in events.Reader.ReadAllAsync(timeout.Token))
        {
            if (e.Peer == peer)
            {
                return;
            }
        }
    }
}
