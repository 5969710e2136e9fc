using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;

namespace Helia.Libp2p.Discovery.Mdns;

/// <summary>A network interface mDNS sends and listens on: its name, its index for one address family, and its addresses of that family.</summary>
public sealed record MdnsInterface(string Name, int Index, IReadOnlyList<IPAddress> Addresses)
{
    /// <summary>
    /// The interfaces that are up, support multicast and have an IPv4 address; only those named in
    /// <paramref name="names"/> when it is given. Linux reports loopback's state as Unknown, which counts as up.
    /// </summary>
    public static List<MdnsInterface> Select(IReadOnlyList<string>? names) =>
        Select(NetworkInterface.GetAllNetworkInterfaces(), names, AddressFamily.InterNetwork);

    /// <summary>
    /// The interfaces that are up, support multicast and have an IPv6 address (link-local included: it is what
    /// ff02::fb is sent from); only those named in <paramref name="names"/> when it is given. Loopback is left out:
    /// Linux has no IPv6 multicast route over lo (a send fails with "network unreachable").
    /// </summary>
    public static List<MdnsInterface> SelectIPv6(IReadOnlyList<string>? names) =>
        Select(NetworkInterface.GetAllNetworkInterfaces(), names, AddressFamily.InterNetworkV6);

    /// <summary><see cref="Select(IReadOnlyList{string})"/> and <see cref="SelectIPv6"/> from one enumeration of the interfaces (it costs milliseconds).</summary>
    public static (List<MdnsInterface> IPv4, List<MdnsInterface> IPv6) SelectBoth(IReadOnlyList<string>? names)
    {
        NetworkInterface[] all = NetworkInterface.GetAllNetworkInterfaces();
        return (Select(all, names, AddressFamily.InterNetwork), Select(all, names, AddressFamily.InterNetworkV6));
    }

    private static List<MdnsInterface> Select(NetworkInterface[] all, IReadOnlyList<string>? names, AddressFamily family)
    {
        bool v6 = family == AddressFamily.InterNetworkV6;
        var selected = new List<MdnsInterface>();
        foreach (NetworkInterface candidate in all)
        {
            bool loopback = candidate.NetworkInterfaceType == NetworkInterfaceType.Loopback;
            bool up = candidate.OperationalStatus == OperationalStatus.Up
                || (candidate.OperationalStatus == OperationalStatus.Unknown && loopback);
            if (!up || (v6 && loopback) || !candidate.SupportsMulticast
                || !candidate.Supports(v6 ? NetworkInterfaceComponent.IPv6 : NetworkInterfaceComponent.IPv4)
                || (names is not null && !names.Contains(candidate.Name, StringComparer.Ordinal)))
            {
                continue;
            }

            IPInterfaceProperties properties = candidate.GetIPProperties();
            var addresses = new List<IPAddress>();
            foreach (UnicastIPAddressInformation unicast in properties.UnicastAddresses)
            {
                if (unicast.Address.AddressFamily == family)
                {
                    addresses.Add(unicast.Address);
                }
            }

            if (addresses.Count > 0)
            {
                int index = v6 ? properties.GetIPv6Properties().Index : properties.GetIPv4Properties().Index;
                selected.Add(new MdnsInterface(candidate.Name, index, addresses));
            }
        }

        return selected;
    }
}
