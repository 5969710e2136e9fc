namespace Helia.Libp2p.Discovery.Mdns;

/// <summary>Settings of <see cref="MdnsDiscovery"/>; the defaults match js-libp2p's @libp2p/mdns.</summary>
public sealed class MdnsOptions
{
    public const string DefaultServiceName = "_p2p._udp.local";
    public const int DefaultPort = 5353;
    public const uint DefaultRecordTtl = 120;
    public const int DefaultMaxPacketsPerSecond = 200;
    public const int DefaultMaxAddressesPerPeer = 32;
    public const int DefaultMaxTrackedPeers = 1024;
    public const int DefaultMaxTextRecordLength = 2048;
    public static readonly TimeSpan DefaultQueryInterval = TimeSpan.FromSeconds(10);
    public static readonly TimeSpan DefaultMinResponseInterval = TimeSpan.FromMilliseconds(50);

    /// <summary>The DNS-SD service: <c>_p2p._udp.local</c>, or <c>_p2p-X._udp.local</c> in a private network.</summary>
    public string ServiceName { get; init; } = DefaultServiceName;

    /// <summary>The UDP port; 5353 except in tests.</summary>
    public int Port { get; init; } = DefaultPort;

    /// <summary>How often to ask the network for peers; the first query goes out at start.</summary>
    public TimeSpan QueryInterval { get; init; } = DefaultQueryInterval;

    /// <summary>Names of the interfaces to use (e.g. "lo", "eth0"); null uses every multicast interface that is up.</summary>
    public IReadOnlyList<string>? Interfaces { get; init; }

    /// <summary>
    /// Also use IPv6: a second socket on [::]:5353 joined to ff02::fb on each IPv6 multicast interface (not loopback,
    /// where Linux cannot multicast IPv6). js-libp2p's @libp2p/mdns speaks IPv4 only; go-libp2p speaks both.
    /// </summary>
    public bool EnableIPv6 { get; init; } = true;

    /// <summary>Our DNS-SD instance label; null picks a random lower-case alphanumeric one of 32 characters.</summary>
    public string? PeerName { get; init; }

    /// <summary>Whether to answer queries and announce ourselves (js-libp2p's <c>broadcast</c>).</summary>
    public bool Broadcast { get; init; } = true;

    /// <summary>The TTL of the records we send, in seconds.</summary>
    public uint RecordTtl { get; init; } = DefaultRecordTtl;

    /// <summary>Packets processed per second at most; the rest of a flood is dropped (and logged once per second).</summary>
    public int MaxPacketsPerSecond { get; init; } = DefaultMaxPacketsPerSecond;

    /// <summary>At most this many addresses are taken from one peer's records.</summary>
    public int MaxAddressesPerPeer { get; init; } = DefaultMaxAddressesPerPeer;

    /// <summary>At most this many peers are remembered between queries (to raise each one once per interval).</summary>
    public int MaxTrackedPeers { get; init; } = DefaultMaxTrackedPeers;

    /// <summary>TXT records with more bytes than this are ignored (a dnsaddr string is at most 255 bytes).</summary>
    public int MaxTextRecordLength { get; init; } = DefaultMaxTextRecordLength;

    /// <summary>Responses are sent at most this often; queries in between share the next response.</summary>
    public TimeSpan MinResponseInterval { get; init; } = DefaultMinResponseInterval;

    public void Validate()
    {
        if (string.IsNullOrEmpty(ServiceName) || !ServiceName.EndsWith(".local", StringComparison.OrdinalIgnoreCase))
        {
            throw new ArgumentException($"The mDNS service name '{ServiceName}' must end in .local.", nameof(ServiceName));
        }

        if (PeerName is not null && (PeerName.Length is 0 or > DnsMessage.MaxLabelLength || PeerName.Contains('.', StringComparison.Ordinal)))
        {
            throw new ArgumentException("The mDNS peer name must be one DNS label of 1 to 63 characters.", nameof(PeerName));
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(Port, 1, nameof(Port));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(Port, 65535, nameof(Port));
        ArgumentOutOfRangeException.ThrowIfLessThan(QueryInterval, TimeSpan.FromMilliseconds(100), nameof(QueryInterval));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxPacketsPerSecond, 1, nameof(MaxPacketsPerSecond));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxAddressesPerPeer, 1, nameof(MaxAddressesPerPeer));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxTrackedPeers, 1, nameof(MaxTrackedPeers));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxTextRecordLength, 1, nameof(MaxTextRecordLength));
        ArgumentOutOfRangeException.ThrowIfLessThan(MinResponseInterval, TimeSpan.Zero, nameof(MinResponseInterval));
    }
}
