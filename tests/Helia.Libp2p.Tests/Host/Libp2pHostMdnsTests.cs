using System.Diagnostics;
using Helia.Libp2p.Discovery.Mdns;
using Helia.Libp2p.Host;
using Helia.Libp2p.Tests.Discovery;
using Helia.Multiformats;
using static Helia.Libp2p.Tests.Host.Libp2pHostTests;

namespace Helia.Libp2p.Tests.Host;

[Collection(MulticastCollection.Name)]
public class Libp2pHostMdnsTests
{
    [Fact]
    public async Task StartAsync_TwoHostsWithMdns_FindAndConnectWithin2Seconds()
    {
        await PrivateNetwork.SkipUnlessContainedAsync(TestContext.Current.CancellationToken);
        CancellationToken ct = TestContext.Current.CancellationToken;
        var options = new Libp2pHostOptions
        {
            ListenAddresses = [Multiaddr.Parse("/ip4/0.0.0.0/tcp/0")],
            EnableMdns = true,
            Mdns = new MdnsOptions { ServiceName = PrivateNetwork.UniqueService() },
        };
        await using TestHost a = await TestHost.StartAsync(options);

        long started = Stopwatch.GetTimestamp();
        await using TestHost b = await TestHost.StartAsync(options);
        PeerEventArgs connected = await a.Connected.Reader.ReadAsync(ct).AsTask().WaitAsync(TimeSpan.FromSeconds(2), ct);
        TimeSpan elapsed = Stopwatch.GetElapsedTime(started);

        Assert.Equal(b.Host.Id, connected.Peer);
        PeerEventArgs discovered = await b.Discovered.Reader.ReadAsync(ct).AsTask().WaitAsync(TimeSpan.FromSeconds(2), ct);
        Assert.Equal(a.Host.Id, discovered.Peer);
        Assert.NotEmpty(discovered.Addresses);
        Assert.True(elapsed < TimeSpan.FromSeconds(2), $"connected after {elapsed.TotalMilliseconds:0} ms");
        TestContext.Current.SendDiagnosticMessage($"mDNS discovery to connected: {elapsed.TotalMilliseconds:0} ms");
    }

    [Fact]
    public async Task StartAsync_AutoDialOff_DiscoversWithoutConnecting()
    {
        await PrivateNetwork.SkipUnlessContainedAsync(TestContext.Current.CancellationToken);
        CancellationToken ct = TestContext.Current.CancellationToken;
        Libp2pHostOptions options = DiscoverOnly(MdnsOptions.DefaultQueryInterval);
        await using TestHost a = await TestHost.StartAsync(options);
        await using TestHost b = await TestHost.StartAsync(options);

        PeerEventArgs discovered = await a.Discovered.Reader.ReadAsync(ct).AsTask().WaitAsync(TimeSpan.FromSeconds(5), ct);

        Assert.Equal(b.Host.Id, discovered.Peer);
        Assert.Equal(b.Host.ListenAddresses, a.Host.PeerStore.GetAddresses(b.Host.Id));
        Assert.Empty(a.Host.Connections);
        Assert.Empty(b.Host.Connections);
    }

    [Fact]
    public async Task ListenAsync_WithMdns_NewAddressAnnouncedUnasked()
    {
        await PrivateNetwork.SkipUnlessContainedAsync(TestContext.Current.CancellationToken);
        CancellationToken ct = TestContext.Current.CancellationToken;
        Libp2pHostOptions options = DiscoverOnly(TimeSpan.FromHours(1));
        await using TestHost a = await TestHost.StartAsync(options);
        await using TestHost b = await TestHost.StartAsync(options);
        PeerEventArgs first = await a.Discovered.Reader.ReadAsync(ct).AsTask().WaitAsync(TimeSpan.FromSeconds(5), ct);
        Assert.Equal(b.Host.Id, first.Peer);

        // Nobody queries again for an hour: only an unsolicited response can tell a of the new address.
        Multiaddr added = await b.Host.ListenAsync(Multiaddr.Parse("/ip4/127.0.0.1/tcp/0"), ct);

        PeerEventArgs again;
        do
        {
            again = await a.Discovered.Reader.ReadAsync(ct).AsTask().WaitAsync(TimeSpan.FromSeconds(5), ct);
        }
        while (!again.Addresses.Any(address => address.WithoutPeerId() == added));

        Assert.Equal(b.Host.Id, again.Peer);
        Assert.Contains(added, a.Host.PeerStore.GetAddresses(b.Host.Id));
    }

    /// <summary>Hosts on 127.0.0.1 with mDNS on loopback, a service of their own, and no auto-dial.</summary>
    private static Libp2pHostOptions DiscoverOnly(TimeSpan queryInterval) => new()
    {
        ListenAddresses = [Multiaddr.Parse("/ip4/127.0.0.1/tcp/0")],
        EnableMdns = true,
        MdnsAutoDial = false,
        Mdns = new MdnsOptions { Interfaces = ["lo"], ServiceName = PrivateNetwork.UniqueService(), QueryInterval = queryInterval },
    };
}
