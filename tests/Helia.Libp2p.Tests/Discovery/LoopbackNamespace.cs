using System.ComponentModel;
using System.Diagnostics;
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

    /// <summary>
    /// IPv6 multicast needs a link other than loopback (Linux has no IPv6 multicast route over lo, so the loopback-only
    /// namespace of scripts/test.sh cannot carry it). Returns a veth interface to use when every interface that is up,
    /// loopback aside, is a veth whose peer is in this namespace too, so nothing can leave it (by hand: `unshare -n`,
    /// `ip link set lo up`, `ip link add v0 type veth peer name v1`, both up); otherwise skips with the reason.
    /// </summary>
    public static async Task<string> SkipUnlessContainedVethAsync(CancellationToken cancellationToken)
    {
        string listing;
        try
        {
            using var ip = Process.Start(new ProcessStartInfo("ip", "-o -d link show") { RedirectStandardOutput = true, UseShellExecute = false })
                ?? throw new Win32Exception("ip did not start");
            try
            {
                listing = await ip.StandardOutput.ReadToEndAsync(cancellationToken).WaitAsync(TimeSpan.FromSeconds(5), cancellationToken);
                await ip.WaitForExitAsync(cancellationToken).WaitAsync(TimeSpan.FromSeconds(5), cancellationToken);
            }
            finally
            {
                if (!ip.HasExited)
                {
                    ip.Kill();
                }
            }
        }
        catch (Exception ex) when (ex is Win32Exception or TimeoutException)
        {
            Assert.Skip($"IPv6 multicast test skipped: `ip -o -d link show` failed ({ex.Message}).");
            throw;
        }

        // Lines look like "3: v0@v1: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 ... veth ...".
        var links = new List<(string Name, string? Peer, bool Up, bool Loopback, bool Veth)>();
        foreach (string line in listing.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            string[] parts = line.Split(": ", 3);
            if (parts.Length < 3)
            {
                continue;
            }

            string[] name = parts[1].Split('@', 2);
            string[] flags = parts[2][1..parts[2].IndexOf('>', StringComparison.Ordinal)].Split(',');
            links.Add((name[0], name.Length > 1 ? name[1] : null, flags.Contains("UP"), flags.Contains("LOOPBACK"), line.Contains(" veth ", StringComparison.Ordinal)));
        }

        var exposed = links.Where(l => l.Up && !l.Loopback && !(l.Veth && links.Exists(p => p.Name == l.Peer))).Select(l => l.Name).ToList();
        string? veth = links.Where(l => l.Up && l.Veth).Select(l => l.Name).Order(StringComparer.Ordinal).FirstOrDefault();
        if (exposed.Count > 0 || veth is null)
        {
            Assert.Skip(exposed.Count > 0
                ? $"IPv6 multicast test skipped: {string.Join(", ", exposed)} is up and may lead off this machine."
                : "IPv6 multicast test skipped: Linux cannot multicast IPv6 over loopback, and no veth pair contained in this namespace is up (see LoopbackNamespace.SkipUnlessContainedVethAsync).");
        }

        return veth!;
    }

    /// <summary>A service name of its own (<c>_p2p-xxxxxxxx._udp.local</c>), so tests running at once do not hear each other.</summary>
    public static string UniqueService() => $"_p2p-{Random.Shared.Next():x8}._udp.local";
}
