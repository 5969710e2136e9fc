namespace Helia.Multiformats;

/// <summary>How a multiaddr protocol's value is written in binary and as text.</summary>
public enum MultiaddrValueKind
{
    /// <summary>No value (/tls, /ws, /quic-v1 …).</summary>
    None,

    /// <summary>4 bytes; dotted quad.</summary>
    IPv4,

    /// <summary>16 bytes; RFC 5952 text.</summary>
    IPv6,

    /// <summary>2 bytes big-endian; decimal.</summary>
    Port,

    /// <summary>1 byte; decimal (ipcidr).</summary>
    Byte,

    /// <summary>Length-prefixed UTF-8 without '/' (dns, sni, ip6zone, memory).</summary>
    Text,

    /// <summary>Length-prefixed UTF-8 that takes the rest of the text form (unix).</summary>
    Path,

    /// <summary>Length-prefixed UTF-8, percent-encoded in the text form (http-path).</summary>
    PercentEncoded,

    /// <summary>Length-prefixed multihash; base58btc or CID text (p2p).</summary>
    PeerId,

    /// <summary>Length-prefixed multihash; multibase text (certhash).</summary>
    Multihash,
}
