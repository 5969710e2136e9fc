using System.Net;
using System.Text;
using Helia.Libp2p.Discovery.Mdns;
using Helia.Multiformats;

namespace Helia.Libp2p.Tests.Discovery;

public class MdnsPacketsTests
{
    internal const string Service = MdnsOptions.DefaultServiceName;
    internal static readonly PeerId Self = TestPeers.Create(1);
    internal static readonly PeerId Other = TestPeers.Create(2);

    [Fact]
    public void FindPeers_JsResponseWithTxtInAnswers_FindsPeer()
    {
        // js-libp2p's response shape: PTR and TXT both among the answers.
        DnsMessage response = DnsMessage.Read(Convert.FromHexString(
            "000084000000000200000000045f703270045f756470056c6f63616c00000c000100000078001503616263045f703270045f756470056c6f63616c00"
            + "03616263045f703270045f756470056c6f63616c000010000100000078005958646e73616464723d2f6970342f3132372e302e302e312f7463702f"
            + "343030312f7032702f313244334b6f6f57443365636b69665770526e397751704d4739523968583373443135387a37457148576d776551414a55355341"));

        PeerInfo peer = Assert.Single(MdnsPackets.FindPeers(response, Service, "me." + Service, Self, new MdnsOptions()));

        Assert.Equal(PeerId.Parse("12D3KooWD3eckifWpRn9wQpMG9R9hX3sD158z7EqHWmweQAJU5SA"), peer.Id);
        Assert.Equal([Multiaddr.Parse("/ip4/127.0.0.1/tcp/4001")], peer.Addresses);
    }

    [Fact]
    public void ResponseThenFindPeers_RoundTrip_TxtInAdditionals()
    {
        Multiaddr[] addresses = [Multiaddr.Parse("/ip4/192.168.1.5/tcp/4001"), Multiaddr.Parse("/ip4/127.0.0.1/tcp/4001")];
        DnsMessage response = MdnsPackets.Response(Service, "peer." + Service, Other, addresses, 120);
        DnsMessage read = DnsMessage.Read(response.ToArray());

        Assert.Equal(2, read.Additionals.Count);
        Assert.Equal("dnsaddr=/ip4/192.168.1.5/tcp/4001/p2p/" + Other, Encoding.UTF8.GetString(read.Additionals[0].Text[0].Span));
        PeerInfo peer = Assert.Single(MdnsPackets.FindPeers(read, Service, "me." + Service, Self, new MdnsOptions()));
        Assert.Equal(Other, peer.Id);
        Assert.Equal(addresses, peer.Addresses);
    }

    [Fact]
    public void FindPeers_OwnInstanceOrOwnPeerId_Ignored()
    {
        Multiaddr[] addresses = [Multiaddr.Parse("/ip4/127.0.0.1/tcp/4001")];
        DnsMessage ours = DnsMessage.Read(MdnsPackets.Response(Service, "me." + Service, Self, addresses, 120).ToArray());
        DnsMessage oursUnderAnotherName = DnsMessage.Read(MdnsPackets.Response(Service, "x." + Service, Self, addresses, 120).ToArray());

        Assert.Empty(MdnsPackets.FindPeers(ours, Service, "ME." + Service, Self, new MdnsOptions()));
        Assert.Empty(MdnsPackets.FindPeers(oursUnderAnotherName, Service, "me." + Service, Self, new MdnsOptions()));
    }

    [Fact]
    public void FindPeers_BadAndOversizedRecords_SkippedWithReason()
    {
        string instance = "peer." + Service;
        var response = new DnsMessage
        {
            Flags = DnsMessage.FlagResponse,
            Answers = [DnsRecord.Ptr(Service, instance, 120), DnsRecord.Ptr("_other._udp.local", instance, 120)],
            Additionals =
            [
                DnsRecord.Txt(instance, "dnsaddr=/ip4/999.1.1.1/tcp/1/p2p/" + Other, 120),                 // bad multiaddr
                DnsRecord.Txt(instance, "dnsaddr=/ip4/10.0.0.1/tcp/1", 120),                               // no peer id
                DnsRecord.Txt(instance, "dnsaddr=/p2p/" + Other, 120),                                     // no transport
                DnsRecord.Txt(instance, "hello=world", 120),                                                // not dnsaddr
                DnsRecord.Txt(instance, [.. Enumerable.Repeat<ReadOnlyMemory<byte>>(new byte[200], 12)], 120), // 2412 bytes
                DnsRecord.Txt("someone-else." + Service, "dnsaddr=/ip4/10.0.0.9/tcp/1/p2p/" + Other, 120),
                DnsRecord.Txt(instance, "dnsaddr=/ip4/10.0.0.2/tcp/2/p2p/" + Other, 120),
            ],
        };
        var skipped = new List<string>();

        List<PeerInfo> peers = MdnsPackets.FindPeers(DnsMessage.Read(response.ToArray()), Service, "me." + Service, Self, new MdnsOptions(), skipped.Add);

        PeerInfo peer = Assert.Single(peers);
        Assert.Equal([Multiaddr.Parse("/ip4/10.0.0.2/tcp/2")], peer.Addresses);
        Assert.Equal(4, skipped.Count);
        Assert.Contains(skipped, s => s.Contains("2412 bytes", StringComparison.Ordinal));
    }

    [Fact]
    public void FindPeers_ManyAddresses_BoundedPerPeer()
    {
        Multiaddr[] addresses = [.. Enumerable.Range(1, 20).Select(i => Multiaddr.Parse($"/ip4/10.0.0.{i}/tcp/4001"))];
        DnsMessage response = DnsMessage.Read(MdnsPackets.Response(Service, "peer." + Service, Other, addresses, 120).ToArray());

        PeerInfo peer = Assert.Single(MdnsPackets.FindPeers(response, Service, "me." + Service, Self, new MdnsOptions { MaxAddressesPerPeer = 5 }));

        Assert.Equal(addresses[..5], peer.Addresses);
    }

    [Fact]
    public void AsksFor_ServicePtrOrInstanceTxt_True()
    {
        Assert.True(MdnsPackets.AsksFor(DnsMessage.Read(MdnsPackets.Query(Service).ToArray()), Service, "me." + Service));
        Assert.True(MdnsPackets.AsksFor(new DnsMessage { Questions = [new DnsQuestion("me._p2p._udp.local", DnsRecordType.Txt)] }, Service, "me." + Service));
        Assert.False(MdnsPackets.AsksFor(new DnsMessage { Questions = [new DnsQuestion("_http._tcp.local", DnsRecordType.Ptr)] }, Service, "me." + Service));
    }

    [Fact]
    public void ExpandUnspecified_AnyAddress_BecomesEachInterfaceAddress()
    {
        List<Multiaddr> expanded = MdnsPackets.ExpandUnspecified(
            [Multiaddr.Parse("/ip4/0.0.0.0/tcp/4001"), Multiaddr.Parse("/ip4/127.0.0.1/tcp/5001")],
            [IPAddress.Parse("192.168.1.5"), IPAddress.Parse("fe80::1"), IPAddress.Loopback]);

        Assert.Equal(
            [Multiaddr.Parse("/ip4/192.168.1.5/tcp/4001"), Multiaddr.Parse("/ip4/127.0.0.1/tcp/4001"), Multiaddr.Parse("/ip4/127.0.0.1/tcp/5001")],
            expanded);
    }

    [Fact]
    public void Response_AddressTooLongForTxt_Left()
    {
        Multiaddr longAddress = Multiaddr.Parse("/dns4/" + new string('a', 240) + ".example/tcp/4001");
        DnsMessage response = MdnsPackets.Response(Service, "peer." + Service, Other, [longAddress, Multiaddr.Parse("/ip4/127.0.0.1/tcp/1")], 120);

        Assert.Single(response.Additionals);
    }
}
