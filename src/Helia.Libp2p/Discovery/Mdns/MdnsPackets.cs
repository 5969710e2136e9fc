using System.Net;
using System.Text;
using Helia.Multiformats;

namespace Helia.Libp2p.Discovery.Mdns;

/// <summary>
/// The libp2p mDNS packet shapes (specs: libp2p/discovery/mdns.md), as pure functions:
/// the query is <c>_p2p._udp.local PTR</c>; the response answers <c>_p2p._udp.local PTR &lt;name&gt;._p2p._udp.local</c>
/// and adds one TXT record <c>dnsaddr=&lt;multiaddr&gt;/p2p/&lt;id&gt;</c> per address. js-libp2p puts the TXT records among
/// the answers and go-libp2p among the additional records, so both sections are read.
/// </summary>
internal static class MdnsPackets
{
    public const string DnsaddrPrefix = "dnsaddr=";
    private const int MaxTxtString = 255;

    public static DnsMessage Query(string serviceName) => new() { Questions = [new DnsQuestion(serviceName, DnsRecordType.Ptr)] };

    /// <summary>Whether a query asks for our service or for our own instance (the Gotchas section of the spec).</summary>
    public static bool AsksFor(DnsMessage query, string serviceName, string instanceName)
    {
        foreach (DnsQuestion question in query.Questions)
        {
            if ((question.Type is DnsRecordType.Ptr or DnsRecordType.Any && NameEquals(question.Name, serviceName))
                || (question.Type is DnsRecordType.Txt or DnsRecordType.Any && NameEquals(question.Name, instanceName)))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Our response: the PTR answer, and a TXT record per address that fits one 255-byte TXT string.</summary>
    public static DnsMessage Response(string serviceName, string instanceName, PeerId self, IEnumerable<Multiaddr> addresses, uint ttl)
    {
        var additionals = new List<DnsRecord>();
        int size = DnsMessage.HeaderSize + 64 + serviceName.Length + instanceName.Length;
        foreach (Multiaddr address in addresses)
        {
            string text = DnsaddrPrefix + address.WithPeerId(self);
            int length = Encoding.UTF8.GetByteCount(text);
            size += instanceName.Length + 13 + length;
            if (length > MaxTxtString || size > DnsMessage.MaxPacketSize)
            {
                continue;
            }

            additionals.Add(DnsRecord.Txt(instanceName, text, ttl));
        }

        return new DnsMessage
        {
            Flags = DnsMessage.FlagResponse | DnsMessage.FlagAuthoritative,
            Answers = [DnsRecord.Ptr(serviceName, instanceName, ttl)],
            Additionals = additionals,
        };
    }

    /// <summary>
    /// The peers a response announces: for each PTR from <paramref name="serviceName"/> to an instance other than ours,
    /// the dnsaddr= strings of that instance's TXT records, grouped by the peer id that ends each address.
    /// Our own peer id, unparsable addresses and oversized TXT records are skipped and reported through <paramref name="skipped"/>.
    /// </summary>
    public static List<PeerInfo> FindPeers(
        DnsMessage response, string serviceName, string ownInstance, PeerId self, MdnsOptions options, Action<string>? skipped = null)
    {
        var peers = new List<PeerInfo>();
        foreach (DnsRecord ptr in EnumerateRecords(response))
        {
            if (ptr.Type != DnsRecordType.Ptr || !NameEquals(ptr.Name, serviceName) || ptr.Target is null || NameEquals(ptr.Target, ownInstance))
            {
                continue;
            }

            var byPeer = new Dictionary<PeerId, List<Multiaddr>>();
            foreach (DnsRecord txt in EnumerateRecords(response))
            {
                if (txt.Type != DnsRecordType.Txt || !NameEquals(txt.Name, ptr.Target))
                {
                    continue;
                }

                if (TextLength(txt) > options.MaxTextRecordLength)
                {
                    skipped?.Invoke($"a TXT record of {TextLength(txt)} bytes for {txt.Name}");
                    continue;
                }

                foreach (ReadOnlyMemory<byte> text in txt.Text)
                {
                    AddAddress(text.Span, self, options, byPeer, skipped);
                }
            }

            foreach ((PeerId peer, List<Multiaddr> addresses) in byPeer)
            {
                if (!peers.Exists(p => p.Id == peer))
                {
                    peers.Add(new PeerInfo(peer, addresses));
                }
            }
        }

        return peers;
    }

    /// <summary>Our listen addresses as announced: an unspecified IP (0.0.0.0) becomes each interface address.</summary>
    public static List<Multiaddr> ExpandUnspecified(IEnumerable<Multiaddr> listenAddresses, IReadOnlyList<IPAddress> interfaceAddresses)
    {
        var result = new List<Multiaddr>();
        foreach (Multiaddr address in listenAddresses)
        {
            if (address.TryGetTcpEndPoint(out IPEndPoint? endPoint)
                && (endPoint.Address.Equals(IPAddress.Any) || endPoint.Address.Equals(IPAddress.IPv6Any)))
            {
                foreach (IPAddress local in interfaceAddresses)
                {
                    if (local.AddressFamily == endPoint.Address.AddressFamily)
                    {
                        Multiaddr expanded = Multiaddr.FromTcpEndPoint(new IPEndPoint(local, endPoint.Port));
                        result.Add(address.Components.Count > 2
                            ? Multiaddr.Create([.. expanded.Components, .. address.Components.Skip(2)])
                            : expanded);
                    }
                }
            }
            else
            {
                result.Add(address);
            }
        }

        return result;
    }

    private static void AddAddress(
        ReadOnlySpan<byte> text, PeerId self, MdnsOptions options, Dictionary<PeerId, List<Multiaddr>> byPeer, Action<string>? skipped)
    {
        if (!text.StartsWith("dnsaddr="u8))
        {
            return;
        }

        string value = Encoding.UTF8.GetString(text[DnsaddrPrefix.Length..]);
        PeerId? peer;
        Multiaddr? address;
        try
        {
            peer = Multiaddr.TryParse(value, out address) ? address.PeerId : null;
        }
        catch (MultiformatsException)
        {
            peer = null;
            address = null;
        }

        if (peer is not { } id || address is null || address.Components.Count < 2)
        {
            skipped?.Invoke($"the address '{value}' (not a multiaddr ending in /p2p/<id>)");
            return;
        }

        if (id == self)
        {
            return;
        }

        if (!byPeer.TryGetValue(id, out List<Multiaddr>? addresses))
        {
            addresses = [];
            byPeer[id] = addresses;
        }

        Multiaddr transport = address.WithoutPeerId();
        if (addresses.Count >= options.MaxAddressesPerPeer)
        {
            skipped?.Invoke($"addresses of {id} beyond {options.MaxAddressesPerPeer}");
        }
        else if (!addresses.Contains(transport))
        {
            addresses.Add(transport);
        }
    }

    private static int TextLength(DnsRecord txt)
    {
        int length = 0;
        foreach (ReadOnlyMemory<byte> text in txt.Text)
        {
            length += 1 + text.Length;
        }

        return length;
    }

    private static IEnumerable<DnsRecord> EnumerateRecords(DnsMessage message) => message.Answers.Concat(message.Additionals);

    private static bool NameEquals(string left, string right) =>
        left.AsSpan().TrimEnd('.').Equals(right.AsSpan().TrimEnd('.'), StringComparison.OrdinalIgnoreCase);
}
