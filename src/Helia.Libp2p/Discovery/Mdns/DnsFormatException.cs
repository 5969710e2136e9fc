namespace Helia.Libp2p.Discovery.Mdns;

/// <summary>A DNS packet was malformed, truncated, or larger than the limits allow.</summary>
public sealed class DnsFormatException(string message) : Libp2pException(message)
{
}
