using System.ComponentModel;
using System.Diagnostics;

namespace Helia.Testing;

/// <summary>
/// Multicast (mDNS) must never leave this machine, so tests that multicast run only inside a private network
/// namespace in which every interface that is up is either loopback or one end of a veth pair whose other end is in
/// the same namespace. scripts/test.sh makes such a namespace when run as root: `unshare -n`, loopback with multicast
/// and a 224.0.0.0/4 route for IPv4, and a veth pair for IPv6 (Linux cannot multicast IPv6 over loopback).
/// Anywhere else these tests skip and say why. Shared by the test projects that multicast.
/// </summary>
internal static class PrivateNetwork
{
    private static readonly TimeSpan ListingTimeout = TimeSpan.FromSeconds(5);

    /// <summary>Skips the test unless nothing that is up can carry a packet off this machine and loopback multicasts.</summary>
    public static async Task SkipUnlessContainedAsync(CancellationToken cancellationToken)
    {
        List<Link> links = await ListLinksAsync(cancellationToken);
        string[] exposed = Exposed(links);
        if (exposed.Length > 0)
        {
            Assert.Skip($"Multicast test skipped: it runs only in a private network namespace (scripts/test.sh as root uses `unshare -n`), but {string.Join(", ", exposed)} is up here and may lead off this machine.");
        }

        if (!links.Exists(l => l.Loopback && l.Up && l.Multicast))
        {
            Assert.Skip("Multicast test skipped: loopback is not multicast-enabled (`ip link set lo multicast on` and a 224.0.0.0/4 route are needed).");
        }
    }

    /// <summary>
    /// The first veth interface of a pair contained in this namespace, for IPv6 multicast; skips the test when there is
    /// none or when anything that is up may lead off this machine. By hand: `unshare -n`, `ip link set lo up`,
    /// `ip link add hv0 type veth peer name hv1`, both up.
    /// </summary>
    public static async Task<string> ContainedVethAsync(CancellationToken cancellationToken)
    {
        List<Link> links = await ListLinksAsync(cancellationToken);
        string[] exposed = Exposed(links);
        string? veth = links.Where(l => l.Up && l.Veth).Select(l => l.Name).Order(StringComparer.Ordinal).FirstOrDefault();
        if (exposed.Length > 0 || veth is null)
        {
            Assert.Skip(exposed.Length > 0
                ? $"IPv6 multicast test skipped: {string.Join(", ", exposed)} is up and may lead off this machine."
                : "IPv6 multicast test skipped: Linux cannot multicast IPv6 over loopback, and no veth pair contained in this namespace is up (scripts/test.sh as root makes one).");
        }

        return veth!;
    }

    /// <summary>A service name of its own (<c>_p2p-xxxxxxxx._udp.local</c>), so tests running at once do not hear each other.</summary>
    public static string UniqueService() => $"_p2p-{Random.Shared.Next():x8}._udp.local";

    /// <summary>Interfaces that are up and are neither loopback nor a veth whose peer is in this namespace.</summary>
    private static string[] Exposed(List<Link> links) =>
        [.. links.Where(l => l.Up && !l.Loopback && !(l.Veth && links.Exists(p => p.Name == l.Peer))).Select(l => l.Name)];

    private static async Task<List<Link>> ListLinksAsync(CancellationToken cancellationToken)
    {
        string listing;
        try
        {
            using Process ip = Process.Start(new ProcessStartInfo("ip", "-o -d link show") { RedirectStandardOutput = true, UseShellExecute = false })
                ?? throw new Win32Exception("ip did not start");
            try
            {
                listing = await ip.StandardOutput.ReadToEndAsync(cancellationToken).WaitAsync(ListingTimeout, cancellationToken);
                await ip.WaitForExitAsync(cancellationToken).WaitAsync(ListingTimeout, cancellationToken);
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
            Assert.Skip($"Multicast test skipped: `ip -o -d link show` failed ({ex.Message}), so this namespace cannot be checked.");
            throw;
        }

        // Lines look like "3: hv0@hv1: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 ... veth ...". A veth whose peer is in
        // another namespace names it by index instead ("hv0@if7"), which matches no interface here.
        var links = new List<Link>();
        foreach (string line in listing.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            string[] parts = line.Split(": ", 3);
            int flagsEnd = parts.Length == 3 ? parts[2].IndexOf('>', StringComparison.Ordinal) : -1;
            if (flagsEnd < 1)
            {
                continue;
            }

            string[] name = parts[1].Split('@', 2);
            string[] flags = parts[2][1..flagsEnd].Split(',');
            links.Add(new(name[0], name.Length > 1 ? name[1] : null, flags.Contains("UP"), flags.Contains("LOOPBACK"),
                flags.Contains("MULTICAST"), line.Contains(" veth ", StringComparison.Ordinal)));
        }

        return links;
    }

    private sealed record Link(string Name, string? Peer, bool Up, bool Loopback, bool Multicast, bool Veth);
}
