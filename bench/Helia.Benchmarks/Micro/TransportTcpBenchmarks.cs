using System.IO.Pipelines;
using System.Security.Cryptography;
using BenchmarkDotNet.Attributes;
using Helia.Libp2p;
using Helia.Libp2p.Crypto;
using Helia.Libp2p.Host;
using Helia.Libp2p.Muxing.Yamux;
using Helia.Libp2p.Security.Noise;
using Helia.Libp2p.Transports.Tcp;
using Helia.Multiformats;

namespace Helia.Benchmarks.Micro;

/// <summary>
/// Issue 3's performance figure: one yamux stream over a Noise connection over real TCP on 127.0.0.1, between two C#
/// peers in this process (each a <see cref="ConnectionUpgrader"/> with Noise and Yamux, as a host has). One operation
/// streams 8 MiB in 64 KiB writes from one peer while the other reads them: the whole connection stack, sockets included,
/// with both peers' loops sharing the machine's cores.
/// One operation takes only ~12 ms, so the short job's 2 warm-up iterations (~30 operations) end before the runtime
/// has compiled the stack's methods at their final tier (after 30 calls, then in the background): the first measured
/// iterations ran partly unoptimised code and the figure moved by a third between runs. 15 warm-up and 15 measured
/// iterations (~6 s) measure the steady state, as a node that has been transferring for a few seconds runs.
/// </summary>
[MemoryDiagnoser]
[WarmupCount(15)]
[IterationCount(15)]
public class TransportTcpBenchmarks
{
    private const string Protocol = "/helia-bench/stream/1.0.0";
    private const int Write = 64 * 1024;
    private const int PerOperation = 8 * 1024 * 1024;

    private readonly byte[] _payload = RandomNumberGenerator.GetBytes(Write);
    private readonly TaskCompletionSource<IStream> _accepted = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _done = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Peer _listener = null!;
    private Peer _dialer = null!;
    private ITransportListener _tcpListener = null!;
    private Libp2pConnection _outbound = null!;
    private Libp2pConnection _inbound = null!;
    private IStream _sender = null!;
    private IStream _receiver = null!;

    [GlobalSetup]
    public async Task SetupAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        CancellationToken ct = timeout.Token;
        _listener = new Peer();
        _dialer = new Peer();
        _listener.Protocols.Add(Protocol, HandleAsync);

        var transport = new TcpTransport();
        _tcpListener = await transport.ListenAsync(Multiaddr.Parse("/ip4/127.0.0.1/tcp/0"), ct);
        Task<ITransportConnection> accepting = _tcpListener.AcceptAsync(ct).AsTask();
        ITransportConnection raw = await transport.DialAsync(_tcpListener.Address, ct);
        Task<Libp2pConnection> upgrading = _listener.Upgrader.UpgradeInboundAsync(await accepting, ct).AsTask();
        _outbound = await _dialer.Upgrader.UpgradeOutboundAsync(raw, _listener.Id, ct);
        _inbound = await upgrading;

        // Lazy negotiation: the listener's handler runs once the first bytes arrive.
        _sender = await _outbound.NewStreamAsync([Protocol], ct);
        await _sender.Output.WriteAsync(new byte[1], ct);
        _receiver = await _accepted.Task.WaitAsync(ct);
        await ReceiveAsync(1);
    }

    [GlobalCleanup]
    public async Task CleanupAsync()
    {
        _done.TrySetResult();
        await _sender.DisposeAsync();
        await _outbound.DisposeAsync();
        await _inbound.DisposeAsync();
        await _tcpListener.DisposeAsync();
        _dialer.Dispose();
        _listener.Dispose();
    }

    [Benchmark(Description = "Issue 3: one yamux stream over Noise over TCP loopback, 8 MiB")]
    [Throughput(PerOperation, LimitReference.ChaCha20Poly1305Issue3Target)]
    public Task YamuxOverNoiseOverTcp()
    {
        Task receiving = ReceiveAsync(PerOperation);
        return Task.WhenAll(SendAsync(), receiving);
    }

    private async Task SendAsync()
    {
        PipeWriter output = _sender.Output;
        for (int sent = 0; sent < PerOperation; sent += Write)
        {
            await output.WriteAsync(_payload);
        }
    }

    private Task ReceiveAsync(long count) => TransportBenchmarks.ReceiveAsync(_receiver.Input, count);

    private async Task HandleAsync(IStream stream, CancellationToken cancellationToken)
    {
        _accepted.TrySetResult(stream);
        await _done.Task.WaitAsync(cancellationToken);
    }

    /// <summary>One side: an identity, Noise and Yamux behind a connection upgrader.</summary>
    private sealed class Peer : IDisposable
    {
        private readonly PrivateKey _key = Ed25519PrivateKey.Generate();
        private readonly NoiseProtocol _noise;

        public Peer()
        {
            Id = PeerId.FromMultihash(_key.PublicKey.ToPeerIdMultihash());
            _noise = new NoiseProtocol(_key);
            Upgrader = new ConnectionUpgrader([_noise], [new YamuxMuxer()], Protocols);
        }

        public PeerId Id { get; }

        public ProtocolRegistry Protocols { get; } = new();

        public ConnectionUpgrader Upgrader { get; }

        public void Dispose()
        {
            _noise.Dispose();
            _key.Dispose();
        }
    }
}
