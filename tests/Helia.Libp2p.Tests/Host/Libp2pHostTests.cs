using System.Buffers;
using System.Threading.Channels;
using Helia.Libp2p.Crypto;
using Helia.Libp2p.Host;
using Helia.Libp2p.Protocols.Identify;
using Helia.Libp2p.Protocols.Ping;
using Helia.Multiformats;

namespace Helia.Libp2p.Tests.Host;

public class Libp2pHostTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);
    private static readonly Multiaddr Loopback = Multiaddr.Parse("/ip4/127.0.0.1/tcp/0");

    [Fact]
    public async Task Start_LoopbackPortZero_ReportsBoundPort()
    {
        await using TestHost host = await TestHost.StartAsync();

        Multiaddr bound = Assert.Single(host.Host.ListenAddresses);
        Assert.True(bound.TryGetTcpEndPoint(out System.Net.IPEndPoint? endPoint));
        Assert.NotEqual(0, endPoint.Port);
    }

    [Fact]
    public async Task DialAsync_ByAddress_BothSidesIdentifyTheOther()
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        await using TestHost a = await TestHost.StartAsync();
        await using TestHost b = await TestHost.StartAsync();

        IConnection connection = await a.Host.DialAsync(b.Address, ct);
        Assert.Equal(b.Host.Id, connection.RemotePeer);

        PeerEventArgs aIdentified = await a.Identified.Reader.ReadAsync(ct).AsTask().WaitAsync(Timeout, ct);
        PeerEventArgs bIdentified = await b.Identified.Reader.ReadAsync(ct).AsTask().WaitAsync(Timeout, ct);
        Assert.Equal(b.Host.Id, aIdentified.Peer);
        Assert.Equal(a.Host.Id, bIdentified.Peer);

        PeerRecord seenByA = a.Host.PeerStore.Get(b.Host.Id)!;
        Assert.Equal(IdentifyOptions.DefaultAgentVersion, seenByA.AgentVersion);
        Assert.Contains(PingService.ProtocolId, seenByA.Protocols);
        Assert.Contains(IdentifyService.PushProtocolId, seenByA.Protocols);
        Assert.Contains(b.Host.ListenAddresses[0], seenByA.Addresses);
        Assert.Equal(b.Host.Id, IdentifyService.PeerIdOf(seenByA.PublicKey.Span));
        Assert.NotNull(b.Host.PeerStore.Get(a.Host.Id)!.ObservedAddress);
        Assert.Equal(a.Host.Id, IdentifyService.PeerIdOf(b.Host.PeerStore.Get(a.Host.Id)!.PublicKey.Span));
    }

    [Fact]
    public async Task PingAsync_BothWays_ReturnsRoundTrip()
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        await using TestHost a = await TestHost.StartAsync();
        await using TestHost b = await TestHost.StartAsync();
        await a.Host.DialAsync(b.Address, ct);

        TimeSpan there = await a.Host.Ping.PingAsync(b.Host.Id, ct).WaitAsync(Timeout, ct);
        TimeSpan back = await b.Host.Ping.PingAsync(a.Host.Id, ct).WaitAsync(Timeout, ct);   // over the inbound connection

        Assert.InRange(there, TimeSpan.Zero, Timeout);
        Assert.InRange(back, TimeSpan.Zero, Timeout);
        Assert.Single(b.Host.Connections);
    }

    [Fact]
    public async Task DialAsync_ConcurrentDialsToOnePeer_ShareOneConnection()
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        await using TestHost a = await TestHost.StartAsync();
        await using TestHost b = await TestHost.StartAsync();
        a.Host.PeerStore.AddAddresses(b.Host.Id, b.Host.ListenAddresses, TimeSpan.FromMinutes(1));

        IConnection[] connections = await Task.WhenAll(Enumerable.Range(0, 16).Select(i => i % 2 == 0
            ? a.Host.DialAsync(b.Host.Id, ct).AsTask()
            : a.Host.DialAsync(b.Address, ct).AsTask())).WaitAsync(Timeout, ct);

        Assert.All(connections, c => Assert.Same(connections[0], c));
        Assert.Single(a.Host.Connections);
        await b.Connected.Reader.ReadAsync(ct).AsTask().WaitAsync(Timeout, ct);
        Assert.Single(b.Host.Connections);
        Assert.Same(connections[0], await a.Host.DialAsync(b.Host.Id, ct));   // and a later dial reuses it
    }

    [Fact]
    public async Task DialAsync_UnknownPeer_ThrowsLibp2pException()
    {
        await using TestHost a = await TestHost.StartAsync();
        Libp2pException error = await Assert.ThrowsAsync<Libp2pException>(async () =>
            await a.Host.DialAsync(Discovery.TestPeers.Create(5), TestContext.Current.CancellationToken));
        Assert.Contains("No addresses", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Handle_CustomProtocol_NewStreamAsyncReachesIt()
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        await using TestHost a = await TestHost.StartAsync();
        await using TestHost b = await TestHost.StartAsync();
        using IDisposable registration = b.Host.Handle("/test/echo/1.0.0", async (stream, token) =>
        {
            System.IO.Pipelines.ReadResult result = await stream.Input.ReadAtLeastAsync(5, token);
            await stream.Output.WriteAsync(result.Buffer.Slice(0, 5).ToArray(), token);
            stream.Input.AdvanceTo(result.Buffer.End);
        });
        a.Host.PeerStore.AddAddresses(b.Host.Id, b.Host.ListenAddresses, TimeSpan.FromMinutes(1));

        await using IStream stream = await a.Host.NewStreamAsync(b.Host.Id, ["/test/echo/1.0.0"], ct);
        await stream.Output.WriteAsync("hello"u8.ToArray(), ct);
        System.IO.Pipelines.ReadResult echo = await stream.Input.ReadAtLeastAsync(5, ct).AsTask().WaitAsync(Timeout, ct);

        Assert.Equal("hello"u8.ToArray(), echo.Buffer.Slice(0, 5).ToArray());
        stream.Input.AdvanceTo(echo.Buffer.End);
        Assert.Equal("/test/echo/1.0.0", stream.Protocol);
    }

    [Fact]
    public async Task Handle_NewProtocolAfterConnecting_PushedToThePeer()
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        await using TestHost a = await TestHost.StartAsync();
        await using TestHost b = await TestHost.StartAsync();
        await ConnectAndIdentifyAsync(a, b, ct);

        using IDisposable registration = b.Host.Handle("/test/late/1.0.0", (_, _) => Task.CompletedTask);

        PeerEventArgs pushed = await a.Identified.Reader.ReadAsync(ct).AsTask().WaitAsync(Timeout, ct);
        Assert.Equal(b.Host.Id, pushed.Peer);
        Assert.Contains("/test/late/1.0.0", a.Host.PeerStore.Get(b.Host.Id)!.Protocols);
    }

    [Fact]
    public async Task Identify_MessageOverTheLimit_RejectedAndLoggedHostKeepsWorking()
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        var logs = new ListLoggerFactory();
        await using TestHost a = await TestHost.StartAsync(new Libp2pHostOptions
        {
            ListenAddresses = [Loopback],
            Identify = new IdentifyOptions { MaxMessageSize = 64 },
        }, logs);
        await using TestHost b = await TestHost.StartAsync();

        IConnection connection = await a.Host.DialAsync(b.Address, ct);
        Libp2pProtocolException error = await Assert.ThrowsAsync<Libp2pProtocolException>(
            () => a.Host.Identify.IdentifyAsync(connection, ct).WaitAsync(Timeout, ct));
        TimeSpan rtt = await a.Host.Ping.PingAsync(b.Host.Id, ct).WaitAsync(Timeout, ct);
        await b.Identified.Reader.ReadAsync(ct).AsTask().WaitAsync(Timeout, ct);       // b accepted a's (small) message

        Assert.Contains("exceeds the limit of 64", error.Message, StringComparison.Ordinal);
        Assert.InRange(rtt, TimeSpan.Zero, Timeout);
        Assert.Null(a.Host.PeerStore.Get(b.Host.Id)!.AgentVersion);
        Assert.False(a.Identified.Reader.TryRead(out _));
        Assert.True(logs.Contains("Rejected an identify message"));
    }

    [Fact]
    public async Task DisposeAsync_RemoteStops_PeerDisconnectedRaised()
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        await using TestHost a = await TestHost.StartAsync();
        TestHost b = await TestHost.StartAsync();
        await a.Host.DialAsync(b.Address, ct);
        await a.Connected.Reader.ReadAsync(ct).AsTask().WaitAsync(Timeout, ct);

        await b.DisposeAsync();

        PeerEventArgs gone = await a.Disconnected.Reader.ReadAsync(ct).AsTask().WaitAsync(Timeout, ct);
        Assert.Equal(b.Host.Id, gone.Peer);
        Assert.Empty(a.Host.Connections);
        await Assert.ThrowsAnyAsync<Exception>(async () => await b.Host.DialAsync(a.Address, ct));
    }

    [Fact]
    public async Task AcceptAsync_PastMaxConnections_InboundRefused()
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        var logs = new ListLoggerFactory();
        await using TestHost server = await TestHost.StartAsync(new Libp2pHostOptions { ListenAddresses = [Loopback], MaxConnections = 1 }, logs);
        await using TestHost first = await TestHost.StartAsync();
        await using TestHost second = await TestHost.StartAsync();

        await first.Host.DialAsync(server.Address, ct);
        await server.Connected.Reader.ReadAsync(ct).AsTask().WaitAsync(Timeout, ct);
        await Assert.ThrowsAnyAsync<Exception>(async () =>
        {
            IConnection refused = await second.Host.DialAsync(server.Address, ct);
            await second.Host.Ping.PingAsync(server.Host.Id, ct).WaitAsync(Timeout, ct);
        });

        Assert.Single(server.Host.Connections);
        Assert.True(logs.Contains("limit of 1 connections"));
    }

    [Fact]
    public async Task TrimAsync_AboveHighWater_ClosesDownToLowWater()
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        await using TestHost server = await TestHost.StartAsync(new Libp2pHostOptions
        {
            ListenAddresses = [Loopback],
            HighWater = 2,
            LowWater = 1,
            GracePeriod = TimeSpan.Zero,
        });
        TestHost[] clients = [await TestHost.StartAsync(), await TestHost.StartAsync(), await TestHost.StartAsync()];
        try
        {
            foreach (TestHost client in clients)
            {
                await client.Host.DialAsync(server.Address, ct);
                await server.Connected.Reader.ReadAsync(ct).AsTask().WaitAsync(Timeout, ct);
            }

            await server.Host.TrimAsync();

            await server.Disconnected.Reader.ReadAsync(ct).AsTask().WaitAsync(Timeout, ct);
            await server.Disconnected.Reader.ReadAsync(ct).AsTask().WaitAsync(Timeout, ct);
            Assert.Single(server.Host.Connections);
        }
        finally
        {
            foreach (TestHost client in clients)
            {
                await client.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task IdleTimeout_ConnectionWithoutStreamsClosed_ConnectionWithOpenStreamKept()
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        await using TestHost host = await TestHost.StartAsync(new Libp2pHostOptions
        {
            ListenAddresses = [Loopback],
            IdleTimeout = TimeSpan.FromMilliseconds(300),
        });
        await using TestHost busy = await TestHost.StartAsync();
        await using TestHost quiet = await TestHost.StartAsync();
        using IDisposable hold = busy.Host.Handle("/test/hold/1.0.0", (_, token) => Task.Delay(System.Threading.Timeout.Infinite, token));

        IConnection busyConnection = await host.Host.DialAsync(busy.Address, ct);
        IStream held = await busyConnection.NewStreamAsync(["/test/hold/1.0.0"], ct);
        await host.Host.DialAsync(quiet.Address, ct);   // idle once identify is done; its timeout ends after busy's would

        PeerEventArgs first = await host.Disconnected.Reader.ReadAsync(ct).AsTask().WaitAsync(Timeout, ct);
        Assert.Equal(quiet.Host.Id, first.Peer);
        Assert.False(busyConnection.Closed.IsCancellationRequested);
        Assert.Contains(busyConnection, host.Host.Connections);

        await held.DisposeAsync();   // no stream left: busy's connection goes idle too
        PeerEventArgs second = await host.Disconnected.Reader.ReadAsync(ct).AsTask().WaitAsync(Timeout, ct);
        Assert.Equal(busy.Host.Id, second.Peer);
        Assert.Empty(host.Host.Connections);
    }

    [Fact]
    public async Task ListenAsync_AfterStart_PushedToConnectedPeersAndAccepting()
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        await using TestHost a = await TestHost.StartAsync();
        await using TestHost b = await TestHost.StartAsync();
        await ConnectAndIdentifyAsync(a, b, ct);

        Multiaddr added = await b.Host.ListenAsync(Loopback, ct);

        PeerEventArgs pushed = await a.Identified.Reader.ReadAsync(ct).AsTask().WaitAsync(Timeout, ct);
        Assert.Equal(b.Host.Id, pushed.Peer);
        Assert.Contains(added, pushed.Addresses);
        Assert.Contains(added, a.Host.PeerStore.GetAddresses(b.Host.Id));
        Assert.Equal(2, b.Host.ListenAddresses.Count);
        await using TestHost c = await TestHost.StartAsync();
        IConnection viaNewListener = await c.Host.DialAsync(added.WithPeerId(b.Host.Id), ct).AsTask().WaitAsync(Timeout, ct);
        Assert.Equal(b.Host.Id, viaNewListener.RemotePeer);
    }

    [Fact]
    public async Task StopListeningAsync_PushedToConnectedPeersWhoForgetTheAddress()
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        await using TestHost a = await TestHost.StartAsync();
        await using TestHost b = await TestHost.StartAsync(new Libp2pHostOptions { ListenAddresses = [Loopback, Loopback] });
        await ConnectAndIdentifyAsync(a, b, ct);
        Multiaddr kept = b.Host.ListenAddresses[0], closing = b.Host.ListenAddresses[1];
        Assert.Contains(closing, a.Host.PeerStore.GetAddresses(b.Host.Id));

        Assert.True(await b.Host.StopListeningAsync(closing, ct));

        PeerEventArgs pushed = await a.Identified.Reader.ReadAsync(ct).AsTask().WaitAsync(Timeout, ct);
        Assert.Equal([kept], pushed.Addresses);
        Assert.Equal([kept], a.Host.PeerStore.GetAddresses(b.Host.Id));
        Assert.Equal([kept], b.Host.ListenAddresses);
        Assert.Single(a.Host.Connections);   // the connection itself stays
        await using TestHost c = await TestHost.StartAsync();
        await Assert.ThrowsAsync<Libp2pException>(() => c.Host.DialAsync(closing.WithPeerId(b.Host.Id), ct).AsTask().WaitAsync(Timeout, ct));
        Assert.False(await b.Host.StopListeningAsync(closing, ct));
    }

    [Fact]
    public async Task StopListeningAsync_CancelledToken_NothingChangesAndALaterStopIsAnnounced()
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        await using TestHost a = await TestHost.StartAsync();
        await using TestHost b = await TestHost.StartAsync(new Libp2pHostOptions { ListenAddresses = [Loopback, Loopback] });
        await ConnectAndIdentifyAsync(a, b, ct);
        ILibp2pHost host = b.Host;   // through the contract
        Multiaddr kept = host.ListenAddresses[0], closing = host.ListenAddresses[1];

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => host.StopListeningAsync(closing, new CancellationToken(canceled: true)).AsTask());

        Assert.Equal([kept, closing], host.ListenAddresses);   // still listed, so still announced: and still accepting
        await using TestHost c = await TestHost.StartAsync();
        IConnection stillOpen = await c.Host.DialAsync(closing.WithPeerId(b.Host.Id), ct).AsTask().WaitAsync(Timeout, ct);
        Assert.Equal(b.Host.Id, stillOpen.RemotePeer);

        Assert.True(await host.StopListeningAsync(closing, ct));
        PeerEventArgs pushed = await a.Identified.Reader.ReadAsync(ct).AsTask().WaitAsync(Timeout, ct);
        Assert.Equal([kept], pushed.Addresses);
        Assert.Equal([kept], a.Host.PeerStore.GetAddresses(b.Host.Id));
    }

    /// <summary>Connects <paramref name="a"/> to <paramref name="b"/> and waits until each has identified the other.</summary>
    private static async Task ConnectAndIdentifyAsync(TestHost a, TestHost b, CancellationToken ct)
    {
        await a.Host.DialAsync(b.Address, ct);
        await a.Identified.Reader.ReadAsync(ct).AsTask().WaitAsync(Timeout, ct);
        await b.Identified.Reader.ReadAsync(ct).AsTask().WaitAsync(Timeout, ct);
    }

    /// <summary>A started host on 127.0.0.1 with its events collected into channels.</summary>
    internal sealed class TestHost : IAsyncDisposable
    {
        private readonly PrivateKey _key;

        private TestHost(Libp2pHost host, PrivateKey key)
        {
            Host = host;
            _key = key;
            host.PeerConnected += (_, e) => Connected.Writer.TryWrite(e);
            host.PeerDisconnected += (_, e) => Disconnected.Writer.TryWrite(e);
            host.PeerIdentified += (_, e) => Identified.Writer.TryWrite(e);
            host.PeerDiscovered += (_, e) => Discovered.Writer.TryWrite(e);
        }

        public Libp2pHost Host { get; }
        public Channel<PeerEventArgs> Connected { get; } = Channel.CreateUnbounded<PeerEventArgs>();
        public Channel<PeerEventArgs> Disconnected { get; } = Channel.CreateUnbounded<PeerEventArgs>();
        public Channel<PeerEventArgs> Identified { get; } = Channel.CreateUnbounded<PeerEventArgs>();
        public Channel<PeerEventArgs> Discovered { get; } = Channel.CreateUnbounded<PeerEventArgs>();

        /// <summary>The first listen address with our /p2p/ suffix.</summary>
        public Multiaddr Address => Host.ListenAddresses[0].WithPeerId(Host.Id);

        public static async Task<TestHost> StartAsync(Libp2pHostOptions? options = null, ListLoggerFactory? logs = null)
        {
            PrivateKey key = Ed25519PrivateKey.Generate();
            var host = new TestHost(Libp2pHost.Create(options ?? new Libp2pHostOptions { ListenAddresses = [Loopback] }, key, logs), key);
            await host.Host.StartAsync(TestContext.Current.CancellationToken);
            return host;
        }

        public async ValueTask DisposeAsync()
        {
            await Host.DisposeAsync();
            _key.Dispose();
        }
    }
}
