namespace Helia.Libp2p.Discovery.Mdns;

/// <summary>
/// A DNS message as mDNS uses it (RFC 1035 section 4, RFC 6762). The codec is a pure function of bytes:
/// <see cref="Read"/> checks every length and count against the packet before using it, and <see cref="Write"/>
/// writes names without compression (our packets are small).
/// <code>
/// header, 12 bytes, big-endian:
/// | id (16) | flags (16): QR opcode(4) AA TC RD RA Z AD CD rcode(4) | qdcount (16) | ancount (16) | nscount (16) | arcount (16) |
/// question: name | type (16) | class (16, top bit: unicast response)
/// record:   name | type (16) | class (16, top bit: cache flush) | ttl (32) | rdlength (16) | rdata
/// name:     labels (length byte 1..63 + bytes), ended by 0 or by a pointer (0b11 + 14-bit offset)
/// </code>
/// </summary>
public sealed partial class DnsMessage
{
    /// <summary>RFC 6762 section 17: an mDNS packet, headers included, is at most 9000 bytes.</summary>
    public const int MaxPacketSize = 9000;

    /// <summary>The default bound on questions plus records read from one packet.</summary>
    public const int DefaultMaxEntries = 128;

    public const int HeaderSize = 12;
    public const int MaxNameLength = 255;
    public const int MaxLabelLength = 63;

    /// <summary>The QR bit: set in responses.</summary>
    public const ushort FlagResponse = 0x8000;

    /// <summary>The AA bit: set in mDNS responses (RFC 6762 section 18.4).</summary>
    public const ushort FlagAuthoritative = 0x0400;

    public ushort Id { get; init; }
    public ushort Flags { get; init; }
    public bool IsResponse => (Flags & FlagResponse) != 0;
    public IReadOnlyList<DnsQuestion> Questions { get; init; } = [];
    public IReadOnlyList<DnsRecord> Answers { get; init; } = [];
    public IReadOnlyList<DnsRecord> Authorities { get; init; } = [];
    public IReadOnlyList<DnsRecord> Additionals { get; init; } = [];
}
