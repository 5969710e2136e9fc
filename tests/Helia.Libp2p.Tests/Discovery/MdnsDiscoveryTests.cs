using System.Net;
using System.Net.Sockets;
using System.Threading.Channels;
using Helia.Libp2p.Discovery.Mdns;
using Helia.Libp2p.Tests.Host;
using Helia.Multiformats;

namespace Helia.Libp2p.Tests.Discovery;

[Collection(MulticastCollection.Name)]
public class MdnsDiscoveryTests
{
    private const string Service = MdnsOptions.DefaultServiceName;
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    [Fact]
    public async Task OnPacket_MalformedPacket_LoggedAndIgnored()
    {
        var logger = new ListLogger<MdnsDiscovery>();
        await using var discovery = new MdnsDiscovery(TestPeers.Create(1), () => [], logger: logger);
        int raised = 0;
        discovery.Discovered += (_, _) => raised++;

        discovery.OnPacket(Convert.FromHexString("000084000000000100000000c00c"), null);
        discovery.OnPacket(new byte[DnsMessage.MaxPacketSize + 1], null);

        Assert.Equal(0, raised);
        Assert.Equal(2, logger.Lines.Count(line => line.Contains("malformed mDNS packet", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task OnPacket_SamePeerTwice_RaisedOnceUntilAddressesChange()
    {
        await using var discovery = new MdnsDiscovery(TestPeers.Create(1), () => []);
        var raised = new List<PeerInfo>();
        discovery.Discovered += (_, peer) => raised.Add(peer);
        PeerId other = TestPeers.Create(2);

        discovery.OnPacket(ResponseBytes(other, "/ip4/127.0.0.1/tcp/1"), null);
        discovery.OnPacket(ResponseBytes(other, "/ip4/127.0.0.1/tcp/1"), null);
        discovery.OnPacket(ResponseBytes(other, "/ip4/127.0.0.1/tcp/2"), null);

        Assert.Equal(2, raised.Count);
        Assert.Equal([Multiaddr.Parse("/ip4/127.0.0.1/tcp/2")], raised[1].Addresses);
    }

    [Fact]
    public async Task OnPacket_Flood_BoundedAndLogged()
    {
        var logger = new ListLogger<MdnsDiscovery>();
        var options = new MdnsOptions { MaxPacketsPerSecond = 50, MaxTrackedPeers = 30 };
        await using var discovery = new MdnsDiscovery(TestPeers.Create(1), () => [], options, logger);
        int raised = 0;
        discovery.Discovered += (_, _) => raised++;

        for (int i = 0; i < 1000; i++)
        {
            discovery.OnPacket(ResponseBytes(TestPeers.Create(100 + i), "/ip4/127.0.0.1/tcp/1"), null);
        }

        Assert.Equal(30, raised);    // 50 packets pass the gate; of their 50 peers only 30 fit the table
        Assert.True(logger.Contains("mDNS flood"));
        Assert.True(logger.Contains("already tracks 30 peers"));
    }

    [Fact]
    public async Task OnPacket_HandlerThrows_LoggedAndDiscoveryContinues()
    {
        var logger = new ListLogger<MdnsDiscovery>();
        await using var discovery = new MdnsDiscovery(TestPeers.Create(1), () => [], logger: logger);
        int calls = 0;
        discovery.Discovered += (_, _) =>
        {
            calls++;
            throw new InvalidOperationException("boom");
        };

        discovery.OnPacket(ResponseBytes(TestPeers.Create(2), "/ip4/127.0.0.1/tcp/1"), null);
        discovery.OnPacket(ResponseBytes(TestPeers.Create(3), "/ip4/127.0.0.1/tcp/1"), null);

        Assert.Equal(2, calls);
        Assert.True(logger.Contains("handler threw"));
    }

    [Fact]
    public async Task Start_TwoServices_DiscoverEachOther()
    {
        await PrivateNetwork.SkipUnlessContainedAsync(TestContext.Current.CancellationToken);
        CancellationToken ct = TestContext.Current.CancellationToken;
        PeerId a = TestPeers.Create(1), b = TestPeers.Create(2);
        var options = new MdnsOptions { ServiceName = PrivateNetwork.UniqueService() };
        await using var first = new MdnsDiscovery(a, () => [Multiaddr.Parse("/ip4/127.0.0.1/tcp/4001")], options);
        await using var second = new MdnsDiscovery(b, () => [Multiaddr.Parse("/ip4/0.0.0.0/tcp/4002")], options);
        Channel<PeerInfo> firstFound = Collect(first), secondFound = Collect(second);

        await first.StartAsync(ct);
        await second.StartAsync(ct);

        PeerInfo seenByFirst = await firstFound.Reader.ReadAsync(ct).AsTask().WaitAsync(Timeout, ct);
        PeerInfo seenBySecond = await secondFound.Reader.ReadAsync(ct).AsTask().WaitAsync(Timeout, ct);
        Assert.Equal(b, seenByFirst.Id);
        Assert.Equal([Multiaddr.Parse("/ip4/127.0.0.1/tcp/4002")], seenByFirst.Addresses);
        Assert.Equal(a, seenBySecond.Id);
        Assert.Equal([Multiaddr.Parse("/ip4/127.0.0.1/tcp/4001")], seenBySecond.Addresses);
        Assert.False(firstFound.Reader.TryRead(out PeerInfo? self) && self.Id == a);
    }

    [Fact]
    public async Task Start_IPv6Link_TwoServicesDiscoverEachOtherOverFf02Fb()
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        string link = await PrivateNetwork.ContainedVethAsync(ct);
        PeerId a = TestPeers.Create(1), b = TestPeers.Create(2);
        var options = new MdnsOptions { ServiceName = PrivateNetwork.UniqueService(), Interfaces = [link] };
        await using var first = new MdnsDiscovery(a, () => [Multiaddr.Parse("/ip6/::1/tcp/4001")], options);
        await using var second = new MdnsDiscovery(b, () => [Multiaddr.Parse("/ip6/::1/tcp/4002")], options);
        Channel<PeerInfo> firstFound = Collect(first), secondFound = Collect(second);

        await first.StartAsync(ct);
        await second.StartAsync(ct);

        PeerInfo seenByFirst = await firstFound.Reader.ReadAsync(ct).AsTask().WaitAsync(Timeout, ct);
        PeerInfo seenBySecond = await secondFound.Reader.ReadAsync(ct).AsTask().WaitAsync(Timeout, ct);
        Assert.Empty(first.Interfaces);   // the veth has no IPv4 address: all of it went over IPv6
        Assert.Equal(link, Assert.Single(first.IPv6Interfaces).Name);
        Assert.Equal(b, seenByFirst.Id);
        Assert.Equal([Multiaddr.Parse("/ip6/::1/tcp/4002")], seenByFirst.Addresses);
        Assert.Equal(a, seenBySecond.Id);
        Assert.Equal([Multiaddr.Parse("/ip6/::1/tcp/4001")], seenBySecond.Addresses);
    }

    [Fact]
    public async Task Start_GarbageAndFloodOnTheWire_StillDiscovers()
    {
        await PrivateNetwork.SkipUnlessContainedAsync(TestContext.Current.CancellationToken);
        CancellationToken ct = TestContext.Current.CancellationToken;
        var logger = new ListLogger<MdnsDiscovery>();
        string service = PrivateNetwork.UniqueService();
        // IPv4 only: the flood goes over IPv4, and the announcer's answer must queue behind it on the same socket
        // (over IPv6 it could be read first, before the flood is logged).
        await using var listener = new MdnsDiscovery(
            TestPeers.Create(1), () => [], new MdnsOptions { ServiceName = service, MaxPacketsPerSecond = 100, QueryInterval = TimeSpan.FromMilliseconds(500), EnableIPv6 = false }, logger);
        Channel<PeerInfo> found = Collect(listener);
        await listener.StartAsync(ct);

        using var sender = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        sender.SetSocketOption(SocketOptionLevel.IP, SocketOptionName.MulticastInterface, IPAddress.Loopback.GetAddressBytes());
        var group = new IPEndPoint(MdnsDiscovery.MulticastGroup, MdnsOptions.DefaultPort);
        byte[] garbage = Convert.FromHexString("000084000000000100000000c00c");
        for (int i = 0; i < 300; i++)
        {
            await sender.SendToAsync(garbage, SocketFlags.None, group, ct);
        }

        // After the flood the listener keeps working: the announcer answers its next query.
        await using var announcer = new MdnsDiscovery(
            TestPeers.Create(2), () => [Multiaddr.Parse("/ip4/127.0.0.1/tcp/4002")], new MdnsOptions { ServiceName = service, EnableIPv6 = false });
        await announcer.StartAsync(ct);
        PeerInfo peer = await found.Reader.ReadAsync(ct).AsTask().WaitAsync(TimeSpan.FromSeconds(15), ct);

        Assert.Equal(TestPeers.Create(2), peer.Id);
        Assert.True(logger.Contains("malformed mDNS packet"));
        Assert.True(logger.Contains("mDNS flood"));
    }

    [Fact]
    public async Task Start_InterfaceNotPresent_LogsAndStaysQuiet()
    {
        var logger = new ListLogger<MdnsDiscovery>();
        await using var discovery = new MdnsDiscovery(TestPeers.Create(1), () => [], new MdnsOptions { Interfaces = ["no-such-if0"] }, logger);

        await discovery.StartAsync(TestContext.Current.CancellationToken);

        Assert.Empty(discovery.Interfaces);
        Assert.Empty(discovery.IPv6Interfaces);
        Assert.True(logger.Contains("no usable multicast interface"));
    }

    private static Channel<PeerInfo> Collect(MdnsDiscovery discovery)
    {
        var channel = Channel.CreateUnbounded<PeerInfo>();
        discovery.Discovered += (_, peer) => channel.Writer.TryWrite(peer);
        return channel;
    }

    private static byte[] ResponseBytes(PeerId peer, string address) =>
        MdnsPackets.Response(Service, peer.ToString()[^20..].ToLowerInvariant() + "." + Service, peer, [Multiaddr.Parse(address)], 120).ToArray();
}
