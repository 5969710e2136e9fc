using Helia.Libp2p.Host;
using Helia.Libp2p.Negotiation;
using Helia.Libp2p.Security;
using Helia.Libp2p.Security.Noise;
using Helia.Libp2p.Transports.Memory;
using Helia.Libp2p.Transports.Tcp;
using Helia.Multiformats;

namespace Helia.Libp2p.Tests.Host;

public class ConnectionUpgraderTests
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(20);
    private static readonly Multiaddr s_loopback = Multiaddr.Parse("/ip4/127.0.0.1/tcp/0");

    [Fact]
    public async Task Upgrade_MemoryTransport_BothSidesSeeEachOtherAndEcho()
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        var hub = new MemoryTransportHub();
        await using var listener = new TestPeer(new MemoryTransport(hub));
        await using var dialer = new TestPeer(new MemoryTransport(hub));
        Multiaddr address = await listener.ListenAsync(Multiaddr.Parse("/memory/0"), ct);

        var outbound = await dialer.DialAsync(address, ct).WaitAsync(s_timeout, ct);
        var inbound = await listener.Inbound.Reader.ReadAsync(ct).AsTask().WaitAsync(s_timeout, ct);

        Assert.Equal(listener.Id, outbound.RemotePeer);
        Assert.Equal(dialer.Id, inbound.RemotePeer);
        Assert.True(outbound.IsInitiator);
        Assert.False(inbound.IsInitiator);
        byte[] payload = [.. Enumerable.Range(0, 100_000).Select(i => (byte)i)];
        Assert.Equal(payload, await TestPeer.EchoThroughAsync(outbound, payload, ct).WaitAsync(s_timeout, ct));
        Assert.Equal(payload, await TestPeer.EchoThroughAsync(inbound, payload, ct).WaitAsync(s_timeout, ct));
    }

    [Fact]
    public async Task NewStreamAsync_UnsupportedProtocol_ThrowsProtocolNotSupported()
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        var hub = new MemoryTransportHub();
        var eager = new ConnectionUpgraderOptions { LazyStreamNegotiation = false };
        await using var listener = new TestPeer(new MemoryTransport(hub));
        await using var dialer = new TestPeer(new MemoryTransport(hub), options: eager);
        var connection = await dialer.DialAsync(await listener.ListenAsync(Multiaddr.Parse("/memory/0"), ct), ct).WaitAsync(s_timeout, ct);

        await Assert.ThrowsAsync<ProtocolNotSupportedException>(
            () => connection.NewStreamAsync(["/nope/1.0.0"], ct).AsTask().WaitAsync(s_timeout, ct));
        Assert.Equal([1, 2, 3], await TestPeer.EchoThroughAsync(connection, [1, 2, 3], ct).WaitAsync(s_timeout, ct));
    }

    [Fact]
    public async Task NewStreamAsync_LazyUnsupportedProtocol_FirstReadThrowsAndTheConnectionLives()
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        var hub = new MemoryTransportHub();
        await using var listener = new TestPeer(new MemoryTransport(hub));
        await using var dialer = new TestPeer(new MemoryTransport(hub));
        var connection = await dialer.DialAsync(await listener.ListenAsync(Multiaddr.Parse("/memory/0"), ct), ct).WaitAsync(s_timeout, ct);

        // One protocol is proposed lazily: the stream comes back before the answer, and the refusal surfaces on read.
        await using IStream stream = await connection.NewStreamAsync(["/nope/1.0.0"], ct).AsTask().WaitAsync(s_timeout, ct);
        Assert.Equal("/nope/1.0.0", stream.Protocol);
        await Assert.ThrowsAsync<ProtocolNotSupportedException>(
            () => stream.Input.ReadAsync(ct).AsTask().WaitAsync(s_timeout, ct));
        Assert.Equal([1, 2, 3], await TestPeer.EchoThroughAsync(connection, [1, 2, 3], ct).WaitAsync(s_timeout, ct));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task NewStreamAsync_OverTheOutboundLimit_IsRefusedUntilOneCloses(bool lazy)
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        const string Limited = "/limited/1.0.0";
        var hub = new MemoryTransportHub();
        await using var listener = new TestPeer(new MemoryTransport(hub));
        await using var dialer = new TestPeer(new MemoryTransport(hub), options: new ConnectionUpgraderOptions { LazyStreamNegotiation = lazy });
        listener.Protocols.Add(Limited, TestPeer.EchoAsync);
        dialer.Protocols.Add(Limited, TestPeer.EchoAsync, new StreamHandlerOptions { MaxOutboundStreams = 2 });
        var connection = await dialer.DialAsync(await listener.ListenAsync(Multiaddr.Parse("/memory/0"), ct), ct).WaitAsync(s_timeout, ct);

        IStream first = await connection.NewStreamAsync([Limited], ct).AsTask().WaitAsync(s_timeout, ct);
        await using IStream second = await connection.NewStreamAsync([Limited], ct).AsTask().WaitAsync(s_timeout, ct);
        var error = await Assert.ThrowsAsync<StreamLimitExceededException>(() => connection.NewStreamAsync([Limited], ct).AsTask().WaitAsync(s_timeout, ct));
        Assert.Equal(Limited, error.Protocol);
        Assert.Equal([1, 2, 3], await TestPeer.EchoThroughAsync(connection, [1, 2, 3], ct).WaitAsync(s_timeout, ct));   // other protocols are not affected

        await first.DisposeAsync();
        await using IStream third = await connection.NewStreamAsync([Limited], ct).AsTask().WaitAsync(s_timeout, ct);
        Assert.Equal(Limited, third.Protocol);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Dispose_TcpConnectionMidTransfer_EveryStreamAndBothSidesEndPromptly(bool disposeInbound)
    {
        // TCP runs the reader of its input (Noise, then yamux's read loop) inline on its receive loop, and a cancelled
        // read's continuation on the cancelling thread: tearing a connection down in the middle of four busy streams,
        // from either side and at a random moment, must still end every stream and both connections.
        CancellationToken ct = TestContext.Current.CancellationToken;
        await using var listener = new TestPeer(new TcpTransport());
        await using var dialer = new TestPeer(new TcpTransport());
        Multiaddr address = await listener.ListenAsync(s_loopback, ct);
        var random = new Random(7);
        byte[] pattern = new byte[1 << 20];
        random.NextBytes(pattern);
        for (int round = 0; round < 10; round++)
        {
            Libp2pConnection outbound = await dialer.DialAsync(address, ct).WaitAsync(s_timeout, ct);
            Libp2pConnection inbound = await listener.Inbound.Reader.ReadAsync(ct).AsTask().WaitAsync(s_timeout, ct);
            Task[] streams = [.. Enumerable.Range(0, 4).Select(_ => EchoUntilTornDownAsync(outbound, pattern, ct))];

            await Task.Delay(random.Next(0, 40), ct);      // a random moment of the transfer, not a wait for a state
            Libp2pConnection first = disposeInbound ? inbound : outbound;
            Libp2pConnection second = disposeInbound ? outbound : inbound;
            await first.DisposeAsync().AsTask().WaitAsync(s_timeout, ct);
            await Task.WhenAll(streams).WaitAsync(s_timeout, ct);
            await second.DisposeAsync().AsTask().WaitAsync(s_timeout, ct);
        }
    }

    [Fact]
    public async Task Upgrade_TcpLoopback_ConcurrentStreamsEcho()
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        await using var listener = new TestPeer(new TcpTransport());
        await using var dialer = new TestPeer(new TcpTransport());
        var connection = await dialer.DialAsync(await listener.ListenAsync(s_loopback, ct), ct).WaitAsync(s_timeout, ct);

        byte[][] payloads = [.. Enumerable.Range(0, 20).Select(i => RandomBytes(i, 256 * 1024))];
        byte[][] echoed = await Task.WhenAll(payloads.Select(p => TestPeer.EchoThroughAsync(connection, p, ct))).WaitAsync(s_timeout, ct);

        for (int i = 0; i < payloads.Length; i++)
        {
            Assert.Equal(payloads[i], echoed[i]);
        }
    }

    [Fact]
    public async Task Upgrade_TcpLoopback_BothPeersSend64MiBAtOnce_BothArriveIntact()
    {
        // Both peers stream 64 MiB to each other at once: each side's writes block on a full TCP send buffer while its
        // read loop must keep reading (and queue window updates) so that the other side's writes, and its own, go on.
        CancellationToken ct = TestContext.Current.CancellationToken;
        const string Blast = "/blast/1.0.0";
        const long Total = 64L << 20;
        byte[] pattern = RandomBytes(11, 1 << 20);
        await using var listener = new TestPeer(new TcpTransport());
        await using var dialer = new TestPeer(new TcpTransport());
        // The listener's checks run in its handler, whose failure the connection only logs: its outcome is awaited here.
        var served = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        listener.Protocols.Add(Blast, async (stream, token) =>
        {
            try
            {
                await Task.WhenAll(
                    Transports.TransportTests.WritePatternAsync(stream.Output, pattern, Total, token),
                    Transports.TransportTests.ReadPatternAsync(stream.Input, pattern, Total, token));
                served.TrySetResult();
            }
            catch (Exception ex)
            {
                served.TrySetException(ex);
                throw;
            }
        });
        var connection = await dialer.DialAsync(await listener.ListenAsync(s_loopback, ct), ct).WaitAsync(s_timeout, ct);

        await using IStream stream = await connection.NewStreamAsync([Blast], ct).AsTask().WaitAsync(s_timeout, ct);
        await Task.WhenAll(
            Transports.TransportTests.WritePatternAsync(stream.Output, pattern, Total, ct),
            Transports.TransportTests.ReadPatternAsync(stream.Input, pattern, Total, ct),
            served.Task).WaitAsync(TimeSpan.FromSeconds(60), ct);
    }

    [Fact]
    public async Task DialAsync_WrongExpectedPeer_FailsNamingBothIds()
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        await using var listener = new TestPeer(new TcpTransport());
        await using var dialer = new TestPeer(new TcpTransport());
        await using var other = new TestPeer(new TcpTransport());
        Multiaddr address = (await listener.ListenAsync(s_loopback, ct)).WithPeerId(other.Id);

        var error = await Assert.ThrowsAsync<PeerIdMismatchException>(() => dialer.DialAsync(address, ct).WaitAsync(s_timeout, ct));

        Assert.Equal(other.Id, error.Expected);
        Assert.Equal(listener.Id, error.Actual);
        Assert.Contains(listener.Id.ToString(), error.Message, StringComparison.Ordinal);
    }

    public static TheoryData<string, string> BadInputs => new()
    {
        { "random bytes", Convert.ToHexString(RandomBytes(9, 4096)) },
        { "truncated multistream line", "132f6d756c746973" },
        { "over-long multistream line", "ffff03" + Convert.ToHexString(new byte[64]) },
        { "garbage Noise handshake", "132f6d756c746973747265616d2f312e302e300a072f6e6f6973650a" + "0040" + Convert.ToHexString(RandomBytes(5, 64)) },
    };

    [Theory]
    [MemberData(nameof(BadInputs))]
    public async Task Listener_BadInput_ClosesThatConnectionAndKeepsServing(string name, string hex)
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        var transport = new TcpTransport();
        var logs = new ListLoggerFactory();
        await using var listener = new TestPeer(transport, logs: logs);
        await using var dialer = new TestPeer(new TcpTransport());
        Multiaddr address = await listener.ListenAsync(s_loopback, ct);

        await using (ITransportConnection raw = await transport.DialAsync(address, ct))
        {
            await raw.Output.WriteAsync(Convert.FromHexString(hex), ct);
            await raw.Output.CompleteAsync();

            Exception failure = await listener.InboundFailures.Reader.ReadAsync(ct).AsTask().WaitAsync(s_timeout, ct);
            Assert.True(failure is Libp2pException, $"{name}: {failure}");
            AssertLoggedFailure(logs, failure);

            // The listener closed that connection: our input ends.
            await DrainAsync(raw, ct).WaitAsync(s_timeout, ct);
        }

        var good = await dialer.DialAsync(address, ct).WaitAsync(s_timeout, ct);
        Assert.Equal([7], await TestPeer.EchoThroughAsync(good, [7], ct).WaitAsync(s_timeout, ct));
    }

    [Fact]
    public async Task Listener_BadNoiseSignature_RejectsThatPeerAndKeepsServing()
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        var logs = new ListLoggerFactory();
        await using var listener = new TestPeer(new TcpTransport(), logs: logs);
        await using var forger = new TestPeer(new TcpTransport());
        await using var honest = new TestPeer(new TcpTransport());
        Multiaddr address = await listener.ListenAsync(s_loopback, ct);
        byte[] payload = forger.Noise.Payload;
        payload[^1] ^= 1;
        forger.Noise.Payload = payload;

        await Assert.ThrowsAnyAsync<Exception>(() => forger.DialAsync(address, ct).WaitAsync(s_timeout, ct));
        Exception failure = await listener.InboundFailures.Reader.ReadAsync(ct).AsTask().WaitAsync(s_timeout, ct);
        Assert.IsType<NoiseException>(failure);
        Assert.Contains("signature", failure.Message, StringComparison.OrdinalIgnoreCase);
        AssertLoggedFailure(logs, failure);

        var good = await honest.DialAsync(address, ct).WaitAsync(s_timeout, ct);
        Assert.Equal(honest.Id, (await listener.Inbound.Reader.ReadAsync(ct).AsTask().WaitAsync(s_timeout, ct)).RemotePeer);
        Assert.Equal([8], await TestPeer.EchoThroughAsync(good, [8], ct).WaitAsync(s_timeout, ct));
    }

    /// <summary>The listener logged why it closed the connection: the upgrade failure with the exception's message.</summary>
    private static void AssertLoggedFailure(ListLoggerFactory logs, Exception failure) =>
        Assert.True(
            logs.Lines.Any(line => line.Contains("Upgrading the connection", StringComparison.Ordinal) && line.Contains(failure.Message, StringComparison.Ordinal)),
            $"No log line gives the reason \"{failure.Message}\"; logged: {string.Join(" | ", logs.Lines)}");

    private static byte[] RandomBytes(int seed, int length)
    {
        byte[] bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    private static async Task DrainAsync(ITransportConnection connection, CancellationToken ct)
    {
        try
        {
            while (true)
            {
                var result = await connection.Input.ReadAsync(ct);
                connection.Input.AdvanceTo(result.Buffer.End);
                if (result.IsCompleted)
                {
                    return;
                }
            }
        }
        catch (Exception ex) when (ex is Libp2pException or System.Net.Sockets.SocketException or IOException)
        {
        }
    }

    /// <summary>
    /// Echoes 16 MiB through one stream until the connection is torn down. How the stream ends then (a reset, an error,
    /// an early end) is not the point: that it ends.
    /// </summary>
    private static async Task EchoUntilTornDownAsync(Libp2pConnection connection, byte[] pattern, CancellationToken ct)
    {
        try
        {
            await using IStream stream = await connection.NewStreamAsync([TestPeer.EchoProtocol], ct);
            await Task.WhenAll(
                Transports.TransportTests.WritePatternAsync(stream.Output, pattern, 16L << 20, ct),
                Transports.TransportTests.ReadPatternAsync(stream.Input, pattern, 16L << 20, ct));
        }
        catch (Exception) when (!ct.IsCancellationRequested)
        {
        }
    }
}
