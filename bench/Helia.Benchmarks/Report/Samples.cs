namespace Helia.Benchmarks.Report;

/// <summary>Named lists of measurements.</summary>
internal sealed class Samples
{
    private readonly Dictionary<string, List<double>> _samples = [];

    public List<double> this[string name] => _samples[name];

    /// <summary>Root CIDs seen, by what was imported: both sides must agree.</summary>
    public Dictionary<string, string> Cids { get; } = [];

    public void Add(string name, double value) => AddRange(name, [value]);

    public void AddRange(string name, IEnumerable<double> values)
    {
        if (!_samples.TryGetValue(name, out List<double>? list))
        {
            _samples[name] = list = [];
        }

        list.AddRange(values);
    }
}
