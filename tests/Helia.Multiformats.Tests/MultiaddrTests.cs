using System.Net;
using CsCheck;

namespace Helia.Multiformats.Tests;

public class MultiaddrTests
{
    private const string PeerText = "12D3KooWD3eckifWpRn9wQpMG9R9hX3sD158z7EqHWmweQAJU5SA";

    [Fact]
    public void FromBytes_SpecExample_IsIp4Udp()
    {
        // The spec's example: /ip4/127.0.0.1/udp/1234 is 0x4 0x7f 0x0 0x0 0x1 0x91 0x2 0x4 0xd2.
        byte[] bytes = [0x04, 0x7f, 0x00, 0x00, 0x01, 0x91, 0x02, 0x04, 0xd2];

        Multiaddr address = Multiaddr.FromBytes(bytes);

        Assert.Equal("/ip4/127.0.0.1/udp/1234", address.ToString());
        Assert.Equal(bytes, Multiaddr.Parse("/ip4/127.0.0.1/udp/1234").ToArray());
    }

    [Theory]
    [InlineData("/ip4/127.0.0.1/tcp/4001")]
    [InlineData("/ip6/::1/tcp/0")]
    [InlineData("/ip6/2001:db8::1/udp/4001/quic-v1")]
    [InlineData("/ip6zone/eth0/ip6/fe80::1/tcp/1")]
    [InlineData("/dns/example.com/tcp/443/wss")]
    [InlineData("/dns4/example.com/tcp/443/tls/sni/example.com/ws")]
    [InlineData("/dns6/example.com/udp/443/quic-v1/webtransport")]
    [InlineData("/dnsaddr/bootstrap.libp2p.io")]
    [InlineData("/ip4/1.2.3.4/tcp/4001/p2p/" + PeerText)]
    [InlineData("/ip4/1.2.3.4/tcp/4001/p2p/" + PeerText + "/p2p-circuit/p2p/QmYyQSo1c1Ym7orWxLYvCrM2EmxFTANf8wXmmE7DWjhx5N")]
    [InlineData("/unix/tmp/helia.sock")]
    [InlineData("/ip4/10.0.0.1/ipcidr/8")]
    [InlineData("/ip4/1.2.3.4/tcp/80/http/http-path/a%2Fb")]
    [InlineData("/memory/test-1")]
    [InlineData("/ip4/127.0.0.1/udp/1234/quic-v1/webtransport/certhash/uEiAkH5a4DPGKUuOBjYw0CgwjvcJCJMD2K_1aluKR_tpevQ")]
    public void Parse_Format_RoundTripsThroughTextAndBytes(string text)
    {
        Multiaddr address = Multiaddr.Parse(text);

        Assert.Equal(text, address.ToString());
        Assert.Equal(address, Multiaddr.FromBytes(address.ToArray()));
        Assert.Equal(address.GetHashCode(), Multiaddr.FromBytes(address.ToArray()).GetHashCode());
    }

    [Fact]
    public void Parse_IpfsAlias_ReadsAsP2p()
    {
        Multiaddr address = Multiaddr.Parse("/ip4/1.2.3.4/tcp/1/ipfs/" + PeerText);

        Assert.Equal("/ip4/1.2.3.4/tcp/1/p2p/" + PeerText, address.ToString());
        Assert.Equal(PeerId.Parse(PeerText), address.PeerId);
    }

    [Fact]
    public void EncapsulateDecapsulate_PeerSuffix_RoundTrips()
    {
        Multiaddr transport = Multiaddr.Parse("/ip4/127.0.0.1/tcp/4001");
        PeerId peer = PeerId.Parse(PeerText);

        Multiaddr full = transport.WithPeerId(peer);

        Assert.Equal(transport.Encapsulate("/p2p/" + PeerText), full);
        Assert.Equal(transport, full.WithoutPeerId());
        Assert.Equal(transport, full.Decapsulate(MultiaddrProtocol.P2p));
        Assert.Equal(Multiaddr.Parse("/ip4/127.0.0.1"), full.Decapsulate(MultiaddrProtocol.Tcp));
        Assert.Null(transport.PeerId);
    }

    [Fact]
    public void TcpEndPoint_RoundTrips()
    {
        var endPoint = new IPEndPoint(IPAddress.Loopback, 4001);

        Multiaddr address = Multiaddr.FromTcpEndPoint(endPoint);

        Assert.Equal("/ip4/127.0.0.1/tcp/4001", address.ToString());
        Assert.True(address.TryGetTcpEndPoint(out IPEndPoint? back));
        Assert.Equal(endPoint, back);
        Assert.False(Multiaddr.Parse("/ip4/127.0.0.1/udp/1").TryGetTcpEndPoint(out _));
    }

    [Theory]
    [InlineData("")]
    [InlineData("ip4/1.2.3.4")]
    [InlineData("/ip4")]
    [InlineData("/ip4/1.2.3")]
    [InlineData("/ip4/256.1.1.1")]
    [InlineData("/ip4/::1")]
    [InlineData("/ip6/1.2.3.4")]
    [InlineData("/ip6/fe80::1%eth0")]
    [InlineData("/tcp/65536")]
    [InlineData("/tcp/-1")]
    [InlineData("/tcp/+1")]
    [InlineData("/nope/1")]
    [InlineData("/p2p/notapeer")]
    [InlineData("/dns/")]
    [InlineData("//tcp/1")]
    [InlineData("/certhash/xyz")]
    public void Parse_Malformed_ThrowsMultiaddrFormatException(string text)
    {
        Assert.ThrowsAny<MultiformatsException>(() => Multiaddr.Parse(text));
        Assert.False(Multiaddr.TryParse(text, out _));
    }

    [Theory]
    [InlineData("")]
    [InlineData("04 7f 00 00")]                 // ip4 cut short
    [InlineData("06 00")]                       // tcp port cut short
    [InlineData("35 05 61 62")]                 // dns claims 5 bytes, has 2
    [InlineData("35 ff ff ff ff 0f")]           // dns claims 4 GiB
    [InlineData("35 00")]                       // empty dns name
    [InlineData("35 01 2f")]                    // dns name "/"
    [InlineData("35 01 ff")]                    // not UTF-8
    [InlineData("e0 07")]                       // unknown code 992
    [InlineData("a5 03 03 12 01 ff")]           // p2p with a 1-byte sha2-256 digest: no peer id
    [InlineData("80 80 80 80 80 80 80 80 80 01")]  // overlong varint
    public void FromBytes_Malformed_ThrowsMultiaddrFormatException(string hex)
    {
        byte[] bytes = Convert.FromHexString(hex.Replace(" ", "", StringComparison.Ordinal));
        Assert.ThrowsAny<MultiformatsException>(() => Multiaddr.FromBytes(bytes));
    }

    [Fact]
    public void FromBytes_RandomInput_OnlyLibraryExceptions()
    {
        Gen.Byte.Array[0, 64].Sample(bytes =>
        {
            try
            {
                Multiaddr address = Multiaddr.FromBytes(bytes);
                Assert.Equal(address, Multiaddr.Parse(address.ToString()));
            }
            catch (MultiformatsException)
            {
            }
        }, iter: 20_000);
    }

    [Fact]
    public void Property_Ip4TcpAddresses_RoundTrip()
    {
        Gen.Select(Gen.Byte.Array[4], Gen.UShort).Sample((ip, port) =>
        {
            var address = Multiaddr.FromTcpEndPoint(new IPEndPoint(new IPAddress(ip), port));
            Assert.Equal(address, Multiaddr.Parse(address.ToString()));
            Assert.Equal(address, Multiaddr.FromBytes(address.ToArray()));
        });
    }
}
