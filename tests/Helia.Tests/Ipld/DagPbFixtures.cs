using System.Text.RegularExpressions;

namespace Helia.Tests.Ipld;

/// <summary>Reads the dag-pb fixtures of ipld/codec-fixtures (testmark: a name line, then a fenced hex or CID block).</summary>
internal static partial class DagPbFixtures
{
    public static IReadOnlyDictionary<string, (byte[] Bytes, string Cid)> Load()
    {
        string text = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Ipld", "Fixtures", "dag-pb-cross-codec.md"));
        var bytes = new Dictionary<string, byte[]>();
        var cids = new Dictionary<string, string>();
        foreach (Match match in Entry().Matches(text))
        {
            string name = match.Groups["name"].Value;
            string body = match.Groups["body"].Value.Replace("\n", "", StringComparison.Ordinal).Trim();
            if (match.Groups["kind"].Value == "bytes")
            {
                bytes[name] = Convert.FromHexString(body);
            }
            else
            {
                cids[name] = body;
            }
        }

        return bytes.ToDictionary(kv => kv.Key, kv => (kv.Value, cids[kv.Key]));
    }

    [GeneratedRegex(@"\[testmark\]:# \((?<name>[^/]+)/dag-pb/(?<kind>bytes|cid)\)\s*```\n(?<body>[^`]*)```")]
    private static partial Regex Entry();
}
