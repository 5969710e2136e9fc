namespace Helia.Libp2p.Discovery.Mdns;

/// <summary>
/// One question: a name, a type and a class. In mDNS the top bit of the class asks for a unicast answer
/// (RFC 6762 section 5.4); it is kept apart in <see cref="UnicastResponse"/>.
/// </summary>
public readonly record struct DnsQuestion(string Name, DnsRecordType Type, ushort Class = DnsRecord.ClassInternet, bool UnicastResponse = false);
