using System.Globalization;
using System.Text.Json;

namespace Helia.Benchmarks.Report;

/// <summary>The figures of one benchmark run in sections (limits, microbenchmarks, end to end): printed as one table and written as JSON.</summary>
internal sealed class BenchReport
{
    private const int NameWidth = 64;
    private const int SpreadWidth = 28;

    public List<(string Section, List<Figure> Figures)> Sections { get; } = [];

    /// <summary>Anything that makes a figure suspect (printed under the table).</summary>
    public List<string> Notes { get; } = [];

    public void Add(string section, List<Figure> figures) => Sections.Add((section, figures));

    public void Print(TextWriter output)
    {
        output.WriteLine();
        output.WriteLine($"{"figure",-NameWidth} {"measured median [min-max]",-SpreadWidth} {"reference median [min-max]",-SpreadWidth} {"ratio",7}  reference / allocated per op");
        foreach ((string section, List<Figure> figures) in Sections)
        {
            output.WriteLine($"-- {section} --");
            foreach (Figure f in figures)
            {
                string reference = f.Reference is Spread r ? Format(r) : "";
                string ratio = f.Ratio is double x ? string.Create(CultureInfo.InvariantCulture, $"{x:F2}x") : "";
                string note = string.Join("; ", new[] { f.ReferenceName, f.AllocatedBytes is long a ? $"{FormatBytes(a)}/op" : null }.Where(s => s is not null));
                output.WriteLine($"{f.Name,-NameWidth} {Format(f.Ours),-SpreadWidth} {reference,-SpreadWidth} {ratio,7}  {note}");
            }
        }

        foreach (string note in Notes)
        {
            output.WriteLine($"NOTE: {note}");
        }

        output.WriteLine($"machine: {Environment.ProcessorCount} cores, {Environment.OSVersion}, .NET {Environment.Version}; ratios are of medians, above 1 is better for Helia.NET");
    }

    public async Task WriteJsonAsync(string path, object parameters)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var document = new
        {
            date = DateTimeOffset.UtcNow,
            cores = Environment.ProcessorCount,
            os = Environment.OSVersion.ToString(),
            runtime = Environment.Version.ToString(),
            parameters,
            notes = Notes,
            sections = Sections.Select(s => new { section = s.Section, figures = s.Figures }),
        };
        await File.WriteAllTextAsync(path, JsonSerializer.Serialize(document, new JsonSerializerOptions { WriteIndented = true }));
    }

    private static string Format(Spread s) => string.Create(CultureInfo.InvariantCulture, $"{Number(s.Median)} [{Number(s.Min)}-{Number(s.Max)}]");

    // Three significant figures or so: 0.0123, 1.23, 123, 12345.
    private static string Number(double value) => value switch
    {
        >= 100 => value.ToString("F0", CultureInfo.InvariantCulture),
        >= 10 => value.ToString("F1", CultureInfo.InvariantCulture),
        >= 1 => value.ToString("F2", CultureInfo.InvariantCulture),
        _ => value.ToString("G3", CultureInfo.InvariantCulture),
    };

    private static string FormatBytes(long bytes) => bytes switch
    {
        >= 1024 * 1024 => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1024.0 / 1024:F1} MiB"),
        >= 1024 => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1024.0:F1} KiB"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{bytes} B"),
    };
}
