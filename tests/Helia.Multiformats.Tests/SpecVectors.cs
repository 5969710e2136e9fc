using System.Globalization;
using System.Text;

namespace Helia.Multiformats.Tests;

/// <summary>Reads the spec vectors copied under Vectors/ (see Vectors/README.md).</summary>
internal static class SpecVectors
{
    public static string PathOf(string relative) => Path.Combine(AppContext.BaseDirectory, "Vectors", relative);

    /// <summary>The rows of a multibase vector file: (encoding name, encoded text), and the input it encodes.</summary>
    public static (string Input, List<(string Name, string Encoded)> Rows) ReadMultibase(string file)
    {
        string[] lines = File.ReadAllLines(PathOf(Path.Combine("multibase", file)), Encoding.UTF8);
        string input = Unescape(Unquote(lines[0][(lines[0].IndexOf(',', StringComparison.Ordinal) + 1)..]));
        var rows = new List<(string, string)>();
        foreach (string line in lines.Skip(1))
        {
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            int comma = line.IndexOf(',', StringComparison.Ordinal);
            rows.Add((line[..comma].Trim(), Unquote(line[(comma + 1)..])));
        }

        return (input, rows);
    }

    private static string Unquote(string field)
    {
        string trimmed = field.Trim();
        return trimmed.Length >= 2 && trimmed[0] == '"' && trimmed[^1] == '"' ? trimmed[1..^1] : trimmed;
    }

    private static string Unescape(string text)
    {
        var builder = new StringBuilder();
        for (int i = 0; i < text.Length; i++)
        {
            if (text[i] == '\\' && i + 3 < text.Length && text[i + 1] == 'x')
            {
                builder.Append((char)int.Parse(text.AsSpan(i + 2, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture));
                i += 3;
            }
            else
            {
                builder.Append(text[i]);
            }
        }

        return builder.ToString();
    }
}
