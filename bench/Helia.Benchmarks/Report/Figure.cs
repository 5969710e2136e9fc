using System.Text.Json.Serialization;

namespace Helia.Benchmarks.Report;

/// <summary>Min, median and max of several runs.</summary>
internal readonly record struct Spread(double Min, double Median, double Max)
{
    public static Spread Of(IEnumerable<double> values)
    {
        double[] sorted = [.. values.Order()];
        return sorted.Length == 0
            ? throw new ArgumentException("No samples.", nameof(values))
            : new(sorted[0], sorted[sorted.Length / 2], sorted[^1]);
    }

    /// <summary>Rates in MB/s from times in ms: the slowest run is the lowest rate.</summary>
    public static Spread RateFromMs(Spread ms, double bytes) =>
        new(bytes / 1e3 / ms.Max, bytes / 1e3 / ms.Median, bytes / 1e3 / ms.Min);

    public Spread Scale(double factor) => new(Min * factor, Median * factor, Max * factor);
}

/// <summary>
/// One line of the table: our figure, the reference's (JS Helia, or the machine's limit from openssl) and the ratio of
/// the medians, oriented so that above 1 means we do better (for a rate: ours / reference; for a time: reference / ours).
/// </summary>
internal sealed record Figure(string Name, Spread Ours, Spread? Reference = null, string? ReferenceName = null)
{
    /// <summary>False for times and latencies.</summary>
    public bool HigherIsBetter { get; init; } = true;

    /// <summary>Bytes allocated per operation (microbenchmarks, from BenchmarkDotNet's memory diagnoser).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public long? AllocatedBytes { get; init; }

    public double? Ratio => Reference is Spread reference
        ? HigherIsBetter ? Ours.Median / reference.Median : reference.Median / Ours.Median
        : null;

    /// <summary>A rate in MB/s from times in ms (higher is better).</summary>
    public static Figure Rate(string name, long bytes, IEnumerable<double> oursMs, IEnumerable<double> theirsMs, string referenceName) =>
        new(name, Spread.RateFromMs(Spread.Of(oursMs), bytes), Spread.RateFromMs(Spread.Of(theirsMs), bytes), referenceName);

    /// <summary>A time in ms (lower is better).</summary>
    public static Figure Time(string name, IEnumerable<double> oursMs, IEnumerable<double> theirsMs, string referenceName) =>
        new(name, Spread.Of(oursMs), Spread.Of(theirsMs), referenceName) { HigherIsBetter = false };
}
