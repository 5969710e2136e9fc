using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;

namespace Helia.Libp2p.Discovery.Mdns;

/// <summary>A network interface mDNS sends and listens on: its name, IPv4 index and IPv4 addresses.</summary>
public sealed record MdnsInterface(string Name, int Index, IReadOnlyList<IPAddress> Addresses)
{
    /// <summary>
    /// The interfaces that are up, support multicast and have an IPv4 address; only those named in
    /// <paramref name="names"/> when it is given. Linux reports loopback's state as Unknown, which counts as up.
    /// </summary>
    public static List<MdnsInterface> Select(IReadOnlyList<string>? names)
    {
        var selected = new List<MdnsInterface>();
        foreach (NetworkInterface candidate in NetworkInterface.GetAllNetworkInterfaces())
        {
            bool up = candidate.OperationalStatus == OperationalStatus.Up
                || (candidate.OperationalStatus == OperationalStatus.Unknown && candidate.NetworkInterfaceType == NetworkInterfaceType.Loopback);
            if (!up || !candidate.SupportsMulticast || !candidate.Supports(NetworkInterfaceComponent.IPv4)
                || (names is not null && !names.Contains(candidate.Name, StringComparer.Ordinal)))
            {
                continue;
            }

            IPInterfaceProperties properties = candidate.GetIPProperties();
            var addresses = new List<IPAddress>();
            foreach (UnicastIPAddressInformation unicast in properties.UnicastAddresses)
            {
                if (unicast.Address.AddressFamily == AddressFamily.InterNetwork)
                {
                    addresses.Add(unicast.Address);
                }
            }

            if (addresses.Count > 0)
            {
                selected.Add(new MdnsInterface(candidate.Name, properties.GetIPv4Properties().Index, addresses));
            }
        }

        return selected;
    }
}
