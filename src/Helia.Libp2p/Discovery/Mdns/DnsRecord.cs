using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Helia.Libp2p.Discovery.Mdns;

/// <summary>
/// One resource record. The fields that apply depend on <see cref="Type"/>: <see cref="Target"/> for PTR and SRV,
/// <see cref="Text"/> for TXT, <see cref="Address"/> for A and AAAA, the SRV numbers for SRV, and
/// <see cref="RawData"/> for types this codec does not interpret. The top bit of the class is mDNS's cache-flush bit
/// (RFC 6762 section 10.2) and is kept apart in <see cref="CacheFlush"/>.
/// </summary>
public sealed record DnsRecord
{
    public const ushort ClassInternet = 1;

    public required string Name { get; init; }
    public required DnsRecordType Type { get; init; }
    public ushort Class { get; init; } = ClassInternet;
    public bool CacheFlush { get; init; }
    public uint Ttl { get; init; }

    /// <summary>PTR: the name pointed to. SRV: the host name.</summary>
    public string? Target { get; init; }

    /// <summary>TXT: the character strings, each at most 255 bytes.</summary>
    public IReadOnlyList<ReadOnlyMemory<byte>> Text { get; init; } = [];

    /// <summary>A or AAAA: the address.</summary>
    public IPAddress? Address { get; init; }

    public ushort Priority { get; init; }
    public ushort Weight { get; init; }
    public ushort Port { get; init; }

    /// <summary>The record data of a type this codec does not interpret.</summary>
    public ReadOnlyMemory<byte> RawData { get; init; }

    public static DnsRecord Ptr(string name, string target, uint ttl) =>
        new() { Name = name, Type = DnsRecordType.Ptr, Target = target, Ttl = ttl };

    public static DnsRecord Txt(string name, IReadOnlyList<ReadOnlyMemory<byte>> text, uint ttl) =>
        new() { Name = name, Type = DnsRecordType.Txt, Text = text, Ttl = ttl };

    /// <summary>A TXT record holding one string, UTF-8 encoded.</summary>
    public static DnsRecord Txt(string name, string text, uint ttl) =>
        Txt(name, [Encoding.UTF8.GetBytes(text)], ttl);

    public static DnsRecord Srv(string name, string target, ushort port, uint ttl, ushort priority = 0, ushort weight = 0) =>
        new() { Name = name, Type = DnsRecordType.Srv, Target = target, Port = port, Ttl = ttl, Priority = priority, Weight = weight };

    public static DnsRecord ForAddress(string name, IPAddress address, uint ttl) => new()
    {
        Name = name,
        Type = address.AddressFamily == AddressFamily.InterNetworkV6 ? DnsRecordType.Aaaa : DnsRecordType.A,
        Address = address,
        Ttl = ttl,
    };
}
