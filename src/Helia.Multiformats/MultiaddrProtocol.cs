using System.Diagnostics.CodeAnalysis;

namespace Helia.Multiformats;

/// <summary>One protocol of the multiaddr table (specs: multiformats/multiaddr/protocols.csv).</summary>
public sealed class MultiaddrProtocol
{
    public static readonly MultiaddrProtocol Ip4 = new(4, "ip4", MultiaddrValueKind.IPv4);
    public static readonly MultiaddrProtocol Tcp = new(6, "tcp", MultiaddrValueKind.Port);
    public static readonly MultiaddrProtocol Dccp = new(33, "dccp", MultiaddrValueKind.Port);
    public static readonly MultiaddrProtocol Ip6 = new(41, "ip6", MultiaddrValueKind.IPv6);
    public static readonly MultiaddrProtocol Ip6Zone = new(42, "ip6zone", MultiaddrValueKind.Text);
    public static readonly MultiaddrProtocol IpCidr = new(43, "ipcidr", MultiaddrValueKind.Byte);
    public static readonly MultiaddrProtocol Dns = new(53, "dns", MultiaddrValueKind.Text);
    public static readonly MultiaddrProtocol Dns4 = new(54, "dns4", MultiaddrValueKind.Text);
    public static readonly MultiaddrProtocol Dns6 = new(55, "dns6", MultiaddrValueKind.Text);
    public static readonly MultiaddrProtocol DnsAddr = new(56, "dnsaddr", MultiaddrValueKind.Text);
    public static readonly MultiaddrProtocol Sctp = new(132, "sctp", MultiaddrValueKind.Port);
    public static readonly MultiaddrProtocol Udp = new(273, "udp", MultiaddrValueKind.Port);
    public static readonly MultiaddrProtocol WebRtcDirect = new(280, "webrtc-direct", MultiaddrValueKind.None);
    public static readonly MultiaddrProtocol WebRtc = new(281, "webrtc", MultiaddrValueKind.None);
    public static readonly MultiaddrProtocol P2pCircuit = new(290, "p2p-circuit", MultiaddrValueKind.None);
    public static readonly MultiaddrProtocol Unix = new(400, "unix", MultiaddrValueKind.Path);
    public static readonly MultiaddrProtocol P2p = new(421, "p2p", MultiaddrValueKind.PeerId);
    public static readonly MultiaddrProtocol Https = new(443, "https", MultiaddrValueKind.None);
    public static readonly MultiaddrProtocol Tls = new(448, "tls", MultiaddrValueKind.None);
    public static readonly MultiaddrProtocol Sni = new(449, "sni", MultiaddrValueKind.Text);
    public static readonly MultiaddrProtocol Noise = new(454, "noise", MultiaddrValueKind.None);
    public static readonly MultiaddrProtocol Quic = new(460, "quic", MultiaddrValueKind.None);
    public static readonly MultiaddrProtocol QuicV1 = new(461, "quic-v1", MultiaddrValueKind.None);
    public static readonly MultiaddrProtocol WebTransport = new(465, "webtransport", MultiaddrValueKind.None);
    public static readonly MultiaddrProtocol CertHash = new(466, "certhash", MultiaddrValueKind.Multihash);
    public static readonly MultiaddrProtocol Ws = new(477, "ws", MultiaddrValueKind.None);
    public static readonly MultiaddrProtocol Wss = new(478, "wss", MultiaddrValueKind.None);
    public static readonly MultiaddrProtocol Http = new(480, "http", MultiaddrValueKind.None);
    public static readonly MultiaddrProtocol HttpPath = new(481, "http-path", MultiaddrValueKind.PercentEncoded);
    public static readonly MultiaddrProtocol Memory = new(777, "memory", MultiaddrValueKind.Text);

    private static readonly MultiaddrProtocol[] s_all =
    [
        Ip4, Tcp, Dccp, Ip6, Ip6Zone, IpCidr, Dns, Dns4, Dns6, DnsAddr, Sctp, Udp, WebRtcDirect, WebRtc, P2pCircuit,
        Unix, P2p, Https, Tls, Sni, Noise, Quic, QuicV1, WebTransport, CertHash, Ws, Wss, Http, HttpPath, Memory,
    ];

    private MultiaddrProtocol(int code, string name, MultiaddrValueKind valueKind)
    {
        Code = code;
        Name = name;
        ValueKind = valueKind;
    }

    /// <summary>The protocol's code in the binary form.</summary>
    public int Code { get; }

    /// <summary>The protocol's name in the text form.</summary>
    public string Name { get; }

    /// <summary>How the value is encoded.</summary>
    public MultiaddrValueKind ValueKind { get; }

    /// <summary>The value's fixed size in bytes, or -1 when it is length-prefixed.</summary>
    public int FixedSize => ValueKind switch
    {
        MultiaddrValueKind.None => 0,
        MultiaddrValueKind.IPv4 => 4,
        MultiaddrValueKind.IPv6 => 16,
        MultiaddrValueKind.Port => 2,
        MultiaddrValueKind.Byte => 1,
        _ => -1,
    };

    /// <summary>Every protocol this library reads and writes.</summary>
    public static IReadOnlyList<MultiaddrProtocol> All => s_all;

    public static bool TryGet(ulong code, [NotNullWhen(true)] out MultiaddrProtocol? protocol)
    {
        foreach (MultiaddrProtocol candidate in s_all)
        {
            if ((ulong)candidate.Code == code)
            {
                protocol = candidate;
                return true;
            }
        }

        protocol = null;
        return false;
    }

    /// <summary>Looks a protocol up by name; "ipfs" is the old name of p2p.</summary>
    public static bool TryGet(ReadOnlySpan<char> name, [NotNullWhen(true)] out MultiaddrProtocol? protocol)
    {
        if (name.SequenceEqual("ipfs"))
        {
            protocol = P2p;
            return true;
        }

        foreach (MultiaddrProtocol candidate in s_all)
        {
            if (name.SequenceEqual(candidate.Name))
            {
                protocol = candidate;
                return true;
            }
        }

        protocol = null;
        return false;
    }

    public override string ToString() => Name;
}
