using System.Reflection;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Loggers;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using Helia.Benchmarks.Limits;
using Helia.Benchmarks.Report;
using Perfolizer.Horology;

namespace Helia.Benchmarks.Micro;

/// <summary>
/// Runs the BenchmarkDotNet microbenchmarks in this process (no generated project to build) with a short job, so the
/// whole set takes a couple of minutes, and turns each result into a figure: ns/op, or MB/s beside the machine's limit.
/// </summary>
internal static class MicroRun
{
    private static readonly Type[] s_benchmarks =
        [typeof(VarintBenchmarks), typeof(CidBenchmarks), typeof(MultihashBenchmarks), typeof(DagPbBenchmarks), typeof(TransportBenchmarks), typeof(TransportTcpBenchmarks), typeof(BitswapBenchmarks), typeof(InputBenchmarks)];

    /// <summary>Runs the benchmarks that <paramref name="args"/> select (BenchmarkDotNet's own options; all of them by default).</summary>
    public static List<Figure> Run(string[] args, string artifacts, MachineLimits? limits)
    {
        IConfig config = ManualConfig.CreateEmpty()
            .AddJob(Job.Default
                .WithToolchain(InProcessEmitToolchain.Instance)
                .WithLaunchCount(1)
                .WithWarmupCount(2)
                .WithIterationCount(7)
                .WithIterationTime(TimeInterval.FromMilliseconds(200))
                .WithId("short"))
            .AddDiagnoser(MemoryDiagnoser.Default)
            .AddColumnProvider(DefaultColumnProviders.Instance)
            .AddLogger(ConsoleLogger.Default)
            .AddExporter(BenchmarkDotNet.Exporters.MarkdownExporter.GitHub)
            .WithArtifactsPath(artifacts)
            .WithOptions(ConfigOptions.JoinSummary);
        string[] selection = args.Length > 0 ? args : ["--filter", "*"];
        IEnumerable<Summary> summaries = BenchmarkSwitcher.FromTypes(s_benchmarks).Run(selection, config);

        var figures = new List<Figure>();
        // In the order of the classes above and of the methods in each class, not BenchmarkDotNet's.
        IEnumerable<BenchmarkReport> reports = summaries.SelectMany(s => s.Reports)
            .OrderBy(r => Array.IndexOf(s_benchmarks, r.BenchmarkCase.Descriptor.Type))
            .ThenBy(r => r.BenchmarkCase.Descriptor.WorkloadMethod.MetadataToken);
        foreach (BenchmarkReport report in reports)
        {
            if (report.ResultStatistics is not { } stats)
            {
                Console.Error.WriteLine($"{report.BenchmarkCase.DisplayInfo} gave no result.");
                continue;
            }

            MethodInfo method = report.BenchmarkCase.Descriptor.WorkloadMethod;
            string name = method.GetCustomAttribute<BenchmarkAttribute>()?.Description ?? $"{method.DeclaringType?.Name}.{method.Name}";
            long? allocated = report.GcStats.GetBytesAllocatedPerOperation(report.BenchmarkCase);
            var nanoseconds = new Spread(stats.Min, stats.Median, stats.Max);
            if (method.GetCustomAttribute<ThroughputAttribute>() is { } throughput)
            {
                // bytes per ns x 1e3 = MB/s; the slowest run is the lowest rate.
                var rate = new Spread(throughput.Bytes * 1e3 / nanoseconds.Max, throughput.Bytes * 1e3 / nanoseconds.Median, throughput.Bytes * 1e3 / nanoseconds.Min);
                (Spread? limit, string? limitName) = Limit(limits, throughput.Reference);
                figures.Add(new Figure($"{name} (MB/s)", rate, limit, limitName) { AllocatedBytes = allocated });
            }
            else
            {
                figures.Add(new Figure($"{name} (ns/op)", nanoseconds) { HigherIsBetter = false, AllocatedBytes = allocated });
            }
        }

        return figures;
    }

    private static (Spread? Limit, string? Name) Limit(MachineLimits? limits, LimitReference reference) => reference switch
    {
        LimitReference.Sha256 when limits?.Sha256 is Spread sha => (sha, MachineLimits.Sha256Name),
        LimitReference.ChaCha20Poly1305 when limits?.ChaCha20Poly1305 is Spread chacha => (chacha, MachineLimits.ChaChaName),
        LimitReference.ChaCha20Poly1305Issue3Target when limits?.ChaCha20Poly1305 is Spread chacha =>
            (chacha, MachineLimits.ChaChaName + " (issue 3 target: at least 0.40x)"),
        LimitReference.ChaCha20Poly1305EncryptAndDecrypt when limits?.ChaCha20Poly1305 is Spread chacha =>
            (chacha.Scale(0.5), MachineLimits.ChaChaName + " / 2 (encrypt + decrypt)"),
        _ => (null, null),
    };
}
