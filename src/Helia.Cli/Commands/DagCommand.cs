using System.CommandLine;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json;
using Helia.Cli.Http.Rpc;

namespace Helia.Cli.Commands;

/// <summary>`helia dag export|import`: DAGs as CARv1 files, as Kubo's `ipfs dag export` and `ipfs dag import`.</summary>
internal static class DagCommand
{
    public static Command Create(CliStreams streams)
    {
        var command = new Command("dag", "Interact with IPLD DAG objects.");
        command.Subcommands.Add(CreateExport(streams));
        command.Subcommands.Add(CreateImport(streams));
        return command;
    }

    private static Command CreateExport(CliStreams streams)
    {
        var root = new Argument<string>("root") { Description = "CID of a root to recursively export." };
        var command = new Command("export", "Streams the selected DAG as a .car stream on stdout.") { root };
        CliAction.Set(command, (parseResult, context) => CliAction.WithSessionAsync(context, requiresDaemon: false, async client =>
        {
            using HttpResponseMessage response = await client.PostAsync("dag/export", [parseResult.GetValue(root)!], [], null, context.CancellationToken);
            await using (Stream body = await response.Content.ReadAsStreamAsync(context.CancellationToken))
            {
                await context.Output.FlushAsync(context.CancellationToken);
                Stream output = streams.OpenOutput();
                await body.CopyToAsync(output, context.CancellationToken);
                await output.FlushAsync(context.CancellationToken);
            }

            return response.TrailingHeaders.TryGetValues(RpcResponses.StreamErrorTrailer, out IEnumerable<string>? errors)
                ? throw new CliException(string.Join("; ", errors))
                : 0;
        }));
        return command;
    }

    private static Command CreateImport(CliStreams streams)
    {
        var paths = new Argument<FileInfo[]>("path") { Description = "The path of a .car file (standard input when none).", Arity = ArgumentArity.ZeroOrMore };
        var pinRoots = new Option<bool>("--pin-roots") { Description = "Pin optional roots listed in the .car headers after importing.", DefaultValueFactory = _ => true };
        var silent = new Option<bool>("--silent") { Description = "No output." };
        var stats = new Option<bool>("--stats") { Description = "Output stats." };
        var allowBig = new Option<bool>("--allow-big-block") { Description = "Disable block size check and allow creation of blocks bigger than 2 MiB." };
        var command = new Command("import", "Import the contents of .car files.") { paths, pinRoots, silent, stats, allowBig };
        CliAction.Set(command, (parseResult, context) =>
        {
            FileInfo[] files = parseResult.GetValue(paths)!;
            foreach (FileInfo file in files)
            {
                if (!file.Exists)
                {
                    throw new CliException($"{file.FullName}: no such file");
                }
            }

            if (files.Length == 0 && !streams.InputRedirected)
            {
                throw new CliException("argument \"path\" is required (or pipe a .car to standard input)");
            }

            return CliAction.WithSessionAsync(context, requiresDaemon: false, async client =>
            {
                var flags = new List<KeyValuePair<string, string>>
                {
                    new("pin-roots", CliAction.Flag(parseResult.GetValue(pinRoots))),
                    new("stats", CliAction.Flag(parseResult.GetValue(stats))),
                    new("allow-big-block", CliAction.Flag(parseResult.GetValue(allowBig))),
                };
                using var content = new MultipartFormDataContent();
                if (files.Length == 0)
                {
                    content.Add(CarPart(streams.OpenInput()), "file");
                }

                foreach (FileInfo file in files)
                {
                    content.Add(CarPart(file.OpenRead()), "file", Uri.EscapeDataString(file.Name));
                }

                bool quiet = parseResult.GetValue(silent);
                await foreach (JsonElement line in client.PostNdjsonAsync("dag/import", [], flags, content, context.CancellationToken))
                {
                    if (!quiet)
                    {
                        await WriteImportLineAsync(context.Output, line);
                    }
                }

                return 0;
            });
        });
        return command;
    }

    private static StreamContent CarPart(Stream stream) =>
        new(stream) { Headers = { ContentType = new MediaTypeHeaderValue("application/octet-stream") } };

    /// <summary>Kubo's text for one import result: a pinned root, a root that failed to pin (an error), or the stats.</summary>
    private static async Task WriteImportLineAsync(TextWriter output, JsonElement line)
    {
        if (line.TryGetProperty("Root", out JsonElement root) && root.ValueKind == JsonValueKind.Object)
        {
            string cid = root.GetProperty("Cid").GetProperty("/").GetString()!;
            string error = root.TryGetProperty("PinErrorMsg", out JsonElement e) ? e.GetString() ?? "" : "";
            if (error.Length > 0)
            {
                throw new CliException($"pinning root \"{cid}\" FAILED: {error}");
            }

            await output.WriteLineAsync($"Pinned root\t{cid}\tsuccess");
        }
        else if (line.TryGetProperty("Stats", out JsonElement stats) && stats.ValueKind == JsonValueKind.Object)
        {
            long blocks = stats.GetProperty("BlockCount").GetInt64();
            long bytes = stats.GetProperty("BlockBytesCount").GetInt64();
            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"Imported {blocks} blocks ({bytes} bytes)"));
        }
    }
}
