using System.Net.NetworkInformation;

namespace Helia.Libp2p.Tests.Discovery;

/// <summary>
/// Multicast must never leave this machine, so tests that multicast run only inside a private network namespace whose
/// only interface is loopback (scripts/test.sh makes one with `unshare -n` when run as root).
/// </summary>
internal static class LoopbackNamespace
{
    public static void SkipUnlessLoopbackOnly()
    {
        NetworkInterface[] interfaces = NetworkInterface.GetAllNetworkInterfaces();
        string[] exposed = [.. interfaces
            .Where(i => i.NetworkInterfaceType != NetworkInterfaceType.Loopback && i.OperationalStatus != OperationalStatus.Down)
            .Select(i => i.Name)];
        if (exposed.Length > 0)
        {
            Assert.Skip($"Multicast test skipped: it runs only in a loopback-only network namespace (scripts/test.sh as root uses `unshare -n`), but {string.Join(", ", exposed)} is up here.");
        }

        if (!interfaces.Any(i => i.NetworkInterfaceType == NetworkInterfaceType.Loopback && i.SupportsMulticast))
        {
            Assert.Skip("Multicast test skipped: loopback is not multicast-enabled (`ip link set lo multicast on` and a 224.0.0.0/4 route are needed).");
        }
    }

    /// <summary>A service name of its own (<c>_p2p-xxxxxxxx._udp.local</c>), so tests running at once do not hear each other.</summary>
    public static string UniqueService() => $"_p2p-{Random.Shared.Next():x8}._udp.local";
}
