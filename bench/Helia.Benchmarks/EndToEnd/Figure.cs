namespace Helia.Benchmarks.EndToEnd;

/// <summary>Min, median and max of several runs.</summary>
internal readonly record struct Spread(double Min, double Median, double Max)
{
    public static Spread Of(IEnumerable<double> values)
    {
        double[] sorted = [.. values.Order()];
        return new(sorted[0], sorted[sorted.Length / 2], sorted[^1]);
    }
}

/// <summary>One line of the table: our figure, JS Helia's, and how many times better ours is.</summary>
internal sealed record Figure(string Name, Spread Ours, Spread Theirs, double Ratio)
{
    /// <summary>A rate in MB/s from times in ms (higher is better).</summary>
    public static Figure Rate(string name, long bytes, IEnumerable<double> oursMs, IEnumerable<double> theirsMs)
    {
        Spread ours = ToRate(Spread.Of(oursMs), bytes);
        Spread theirs = ToRate(Spread.Of(theirsMs), bytes);
        return new(name, ours, theirs, ours.Median / theirs.Median);
    }

    /// <summary>A time in ms (lower is better).</summary>
    public static Figure Time(string name, IEnumerable<double> oursMs, IEnumerable<double> theirsMs)
    {
        Spread ours = Spread.Of(oursMs);
        Spread theirs = Spread.Of(theirsMs);
        return new(name, ours, theirs, theirs.Median / ours.Median);
    }

    // The slowest run is the lowest rate.
    private static Spread ToRate(Spread ms, long bytes) =>
        new(bytes / 1e3 / ms.Max, bytes / 1e3 / ms.Median, bytes / 1e3 / ms.Min);
}
