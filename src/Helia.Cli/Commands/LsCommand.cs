using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Helia.Cli.Commands;

/// <summary>`helia ls CID[/path]... [-v] [--size=false]`: directory entries as Kubo prints them (hash, size, name; directories end in /).</summary>
internal static class LsCommand
{
    public static Command Create()
    {
        var paths = new Argument<string[]>("ipfs-path") { Description = "The path to the IPFS object(s) to list links from.", Arity = ArgumentArity.OneOrMore };
        var headers = new Option<bool>("--headers", "-v") { Description = "Print table headers (Hash, Size, Name)." };
        var size = new Option<bool>("--size") { Description = "Resolve the sizes of the entries.", DefaultValueFactory = _ => true };
        var command = new Command("ls", "List directory contents for Unix filesystem objects.") { paths, headers, size };
        CliAction.Set(command, (parseResult, context) => CliAction.WithSessionAsync(context, requiresDaemon: false, async client =>
        {
            bool withSize = parseResult.GetValue(size);
            JsonElement result = await client.PostJsonAsync("ls", parseResult.GetValue(paths)!, [], context.CancellationToken);
            JsonElement[] objects = [.. result.GetProperty("Objects").EnumerateArray()];
            for (int i = 0; i < objects.Length; i++)
            {
                if (objects.Length > 1)
                {
                    await context.Output.WriteLineAsync($"{(i > 0 ? "\n" : "")}{objects[i].GetProperty("Hash").GetString()}:");
                }

                var rows = new List<string[]>();
                if (parseResult.GetValue(headers))
                {
                    rows.Add(withSize ? ["Hash", "Size", "Name"] : ["Hash", "Name"]);
                }

                foreach (JsonElement link in objects[i].GetProperty("Links").EnumerateArray())
                {
                    bool isDirectory = link.GetProperty("Type").GetInt32() == 1;
                    string name = link.GetProperty("Name").GetString() + (isDirectory ? "/" : "");
                    string hash = link.GetProperty("Hash").GetString()!;
                    string entrySize = isDirectory ? "-" : link.GetProperty("Size").GetUInt64().ToString(CultureInfo.InvariantCulture);
                    rows.Add(withSize ? [hash, entrySize, name] : [hash, name]);
                }

                await context.Output.WriteAsync(FormatTable(rows));
            }

            return 0;
        }));
        return command;
    }

    /// <summary>Go's tabwriter as Kubo sets it up (padding 1, spaces): every column but the last padded to its widest cell.</summary>
    internal static string FormatTable(List<string[]> rows)
    {
        int columns = rows.Count == 0 ? 0 : rows.Max(r => r.Length);
        int[] widths = new int[columns];
        foreach (string[] row in rows)
        {
            for (int c = 0; c < row.Length - 1; c++)
            {
                widths[c] = Math.Max(widths[c], row[c].Length);
            }
        }

        var text = new StringBuilder();
        foreach (string[] row in rows)
        {
            for (int c = 0; c < row.Length; c++)
            {
                text.Append(c < row.Length - 1 ? row[c].PadRight(widths[c] + 1) : row[c]);
            }

            text.Append('\n');
        }

        return text.ToString();
    }
}
