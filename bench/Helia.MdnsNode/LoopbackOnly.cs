using System.Net.NetworkInformation;

namespace Helia.MdnsNode;

/// <summary>
/// The guard of every mDNS benchmark process: multicast must never leave this machine, so they refuse to start where any
/// interface but loopback is up (inside `unshare -n` only loopback is). Shared as source with Helia.Benchmarks.
/// </summary>
internal static class LoopbackOnly
{
    /// <summary>Prints why and returns false when an interface other than loopback is up.</summary>
    public static bool Check()
    {
        string[] exposed = [.. NetworkInterface.GetAllNetworkInterfaces()
            .Where(i => i.NetworkInterfaceType != NetworkInterfaceType.Loopback && i.OperationalStatus != OperationalStatus.Down)
            .Select(i => i.Name)];
        if (exposed.Length == 0)
        {
            return true;
        }

        Console.Error.WriteLine($"Refusing to multicast: {string.Join(", ", exposed)} is up (run only inside `unshare -n`).");
        return false;
    }
}
