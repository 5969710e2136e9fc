using System.Diagnostics;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Helia.Core.Blocks;
using Helia.Libp2p.Host;
using Helia.Multiformats;
using Helia.Testing;
using Helia.UnixFS.Exporter;
using Helia.UnixFS.Importer;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Helia.TransferNode;

/// <summary>
/// One node of the transfer benchmark, run as a child process, speaking the same JSON lines as interop/js/bench/js-node.mjs:
/// `import --size BYTES [--seed N] [--file PATH]` imports with only hash (from the file, else from the generator) and prints the time; `serve --size BYTES [--seed N] [--small N]` imports a file (and small raw blocks), prints where it is and serves until
/// its standard input closes, then prints its peak RSS; `fetch --addr MULTIADDR --cid CID [--small CID,…]` fetches them and prints the timings.
/// `serve` and `fetch` take `--store memory|flatfs` (default memory; flatfs: a temporary directory, as a daemon's repository).
/// `serve --warmup-size BYTES` also imports a second file (the next seed) and prints its CID as `warmupCid`;
/// `fetch --warmup-cid CID` reads that file before the timed one, so the timed transfer runs in warm processes.
/// </summary>
internal static class BenchNode
{
    public static async Task<int> RunAsync(string[] args)
    {
        Dictionary<string, string> options = ParseOptions(args[1..]);
        if (args[0] == "import")
        {
            return await ImportAsync(options);
        }

        // --store flatfs: blocks on disk in a temporary flatfs directory (with its defaults, as a daemon's repository
        // has them), deleted when the node stops; memory (the default) keeps them in a MemoryBlockstore.
        string? flatfs = options.GetValueOrDefault("store", "memory") switch
        {
            "memory" => null,
            "flatfs" => Directory.CreateTempSubdirectory("helia-bench-flatfs-").FullName,
            string other => throw new ArgumentException($"Unknown --store '{other}': use memory or flatfs."),
        };
        try
        {
            await using HeliaNode node = await new HeliaBuilder()
                .UseBlockstore(flatfs is null ? new MemoryBlockstore() : new FlatFsBlockstore(flatfs))
                .UseLibp2p(new Libp2pHostOptions { ListenAddresses = [Multiaddr.Parse("/ip4/127.0.0.1/tcp/0")] })
                .UseBitswap()
                .UseLoggerFactory(CreateLoggerFactory())
                .BuildAsync();
            return args[0] switch
            {
                "serve" => await ServeAsync(node, options),
                "fetch" => await FetchAsync(node, options),
                _ => throw new ArgumentException($"Unknown node mode '{args[0]}'."),
            };
        }
        finally
        {
            if (flatfs is not null)
            {
                Directory.Delete(flatfs, recursive: true);
            }
        }
    }

    private static async Task<int> ImportAsync(Dictionary<string, string> options)
    {
        long size = long.Parse(options.GetValueOrDefault("size", "0"), System.Globalization.CultureInfo.InvariantCulture);
        uint seed = uint.Parse(options.GetValueOrDefault("seed", "1"), System.Globalization.CultureInfo.InvariantCulture);
        var importer = new UnixFSImporter(null, ImporterOptions.UnixFSV1_2025 with { OnlyHash = true });
        // From a file when given one (the benchmark writes it; no buffering: each chunk is read straight into place).
        await using Stream input = options.TryGetValue("file", out string? file)
            ? new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 0, FileOptions.SequentialScan)
            : new XorShift32(seed, size);
        long started = Stopwatch.GetTimestamp();
        DagNode root = await importer.ImportFileAsync(input);
        double ms = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        using var self = Process.GetCurrentProcess();
        Print(new JsonObject { ["cid"] = root.Cid.ToString(), ["bytes"] = size, ["ms"] = ms, ["peakRssBytes"] = self.PeakWorkingSet64 });
        return 0;
    }

    private static async Task<int> ServeAsync(HeliaNode node, Dictionary<string, string> options)
    {
        long size = long.Parse(options.GetValueOrDefault("size", "0"), System.Globalization.CultureInfo.InvariantCulture);
        uint seed = uint.Parse(options.GetValueOrDefault("seed", "1"), System.Globalization.CultureInfo.InvariantCulture);
        long started = Stopwatch.GetTimestamp();
        DagNode root = await new UnixFSImporter(node.LocalBlockstore).ImportFileAsync(new XorShift32(seed, size));
        double importMs = Stopwatch.GetElapsedTime(started).TotalMilliseconds;

        // --warmup-size BYTES: a second file (the next seed) for the fetcher to read before the timed one.
        long warmupSize = long.Parse(options.GetValueOrDefault("warmup-size", "0"), System.Globalization.CultureInfo.InvariantCulture);
        string? warmupCid = warmupSize > 0
            ? (await new UnixFSImporter(node.LocalBlockstore).ImportFileAsync(new XorShift32(seed + 1, warmupSize))).Cid.ToString()
            : null;

        var small = new List<string>();
        for (int i = 0; i < int.Parse(options.GetValueOrDefault("small", "0"), System.Globalization.CultureInfo.InvariantCulture); i++)
        {
            byte[] bytes = RandomNumberGenerator.GetBytes(1024);
            Cid cid = Cid.Compute(Multicodec.Raw, bytes);
            await node.LocalBlockstore.PutAsync(cid, bytes);
            small.Add(cid.ToString());
        }

        Print(new JsonObject
        {
            ["multiaddr"] = node.Libp2p.ListenAddresses[0].WithPeerId(node.Id).ToString(),
            ["cid"] = root.Cid.ToString(),
            ["importMs"] = importMs,
            ["small"] = new JsonArray([.. small.Select(cid => JsonValue.Create(cid))]),
            ["warmupCid"] = warmupCid,
        });
        await Console.In.ReadToEndAsync();
        using var self = Process.GetCurrentProcess();
        Print(new JsonObject { ["peakRssBytes"] = self.PeakWorkingSet64 });
        return 0;
    }

    private static async Task<int> FetchAsync(HeliaNode node, Dictionary<string, string> options)
    {
        await node.Libp2p.DialAsync(Multiaddr.Parse(options["addr"]));
        var exporter = new UnixFSExporter(node.Blockstore);
        if (options.TryGetValue("warmup-cid", out string? warmup))
        {
            await foreach (ReadOnlyMemory<byte> chunk in exporter.CatAsync(Cid.Parse(warmup)))
            {
            }
        }

        long started = Stopwatch.GetTimestamp();
        double? firstByteMs = null;
        long bytes = 0;
        await foreach (ReadOnlyMemory<byte> chunk in exporter.CatAsync(Cid.Parse(options["cid"])))
        {
            firstByteMs ??= Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            bytes += chunk.Length;
        }

        double ms = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        var latencies = new List<double>();
        foreach (string text in options.GetValueOrDefault("small", "").Split(',', StringSplitOptions.RemoveEmptyEntries))
        {
            long t = Stopwatch.GetTimestamp();
            ReadOnlyMemory<byte> block = await node.Blockstore.GetAsync(Cid.Parse(text));
            latencies.Add(Stopwatch.GetElapsedTime(t).TotalMilliseconds);
            if (block.Length != 1024)
            {
                throw new InvalidOperationException($"Small block {text} has {block.Length} bytes.");
            }
        }

        using var self = Process.GetCurrentProcess();
        Print(new JsonObject
        {
            ["bytes"] = bytes,
            ["ms"] = ms,
            ["firstByteMs"] = firstByteMs,
            ["latenciesMs"] = new JsonArray([.. latencies.Select(latency => JsonValue.Create(latency))]),
            ["peakRssBytes"] = self.PeakWorkingSet64,
        });
        return 0;
    }

    // HELIA_LOG=Debug (any LogLevel name) writes the nodes' logs to stderr; quiet otherwise.
    private static ILoggerFactory CreateLoggerFactory() =>
        Enum.TryParse(Environment.GetEnvironmentVariable("HELIA_LOG"), out LogLevel level)
            ? LoggerFactory.Create(logging => logging
                .AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace)
                .AddSimpleConsole(o => (o.SingleLine, o.TimestampFormat) = (true, "HH:mm:ss.ffffff "))
                .SetMinimumLevel(level))
            : NullLoggerFactory.Instance;

    private static Dictionary<string, string> ParseOptions(string[] args)
    {
        var options = new Dictionary<string, string>();
        for (int i = 0; i + 1 < args.Length; i += 2)
        {
            options[args[i].TrimStart('-')] = args[i + 1];
        }

        return options;
    }

    // JsonObject, not JsonSerializer on an anonymous object: reflection-based serialization emits accessors, and their
    // tier-1 recompilation then ran on the JIT's background thread during the timed transfer (about 70 methods).
    private static void Print(JsonObject value)
    {
        Console.Out.WriteLine(value.ToJsonString());
        Console.Out.Flush();
    }
}
