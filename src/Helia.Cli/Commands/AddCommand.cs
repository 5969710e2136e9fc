using System.CommandLine;
using System.Text.Json;

namespace Helia.Cli.Commands;

/// <summary>`helia add FILE... [--cid-version N] [--raw-leaves] [--chunker size-N] [-Q] [-q] [--only-hash] [--pin=false]`.</summary>
internal static class AddCommand
{
    public static Command Create()
    {
        var files = new Argument<FileInfo[]>("path") { Description = "Files to add.", Arity = ArgumentArity.OneOrMore };
        var cidVersion = new Option<int?>("--cid-version") { Description = "CID version (0 or 1)." };
        var rawLeaves = new Option<bool?>("--raw-leaves") { Description = "Use raw blocks for leaf nodes." };
        var chunker = new Option<string?>("--chunker", "-s") { Description = "Chunking algorithm: size-[bytes]." };
        var quiet = new Option<bool>("--quiet", "-q") { Description = "Write only the hashes." };
        var quieter = new Option<bool>("--quieter", "-Q") { Description = "Write only the final hash." };
        var onlyHash = new Option<bool>("--only-hash", "-n") { Description = "Only chunk and hash, do not write to disk." };
        var pin = new Option<bool>("--pin") { Description = "Pin the added files.", DefaultValueFactory = _ => true };
        var command = new Command("add", "Add a file to helia.") { files, cidVersion, rawLeaves, chunker, quiet, quieter, onlyHash, pin };
        CliAction.Set(command, (parseResult, context) => CliAction.WithSessionAsync(context, requiresDaemon: false, async client =>
        {
            var flags = new List<KeyValuePair<string, string>>();
            if (parseResult.GetValue(cidVersion) is int version)
            {
                flags.Add(new("cid-version", version.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            }

            if (parseResult.GetValue(rawLeaves) is bool raw)
            {
                flags.Add(new("raw-leaves", raw ? "true" : "false"));
            }

            if (parseResult.GetValue(chunker) is { } chunking)
            {
                flags.Add(new("chunker", chunking));
            }

            flags.Add(new("only-hash", CliAction.Flag(parseResult.GetValue(onlyHash))));
            flags.Add(new("pin", CliAction.Flag(parseResult.GetValue(pin))));
            foreach (FileInfo file in parseResult.GetValue(files)!)
            {
                using MultipartFormDataContent content = CliAction.UploadFile(file, "file");
                await foreach (JsonElement added in client.PostNdjsonAsync("add", [], flags, content, context.CancellationToken))
                {
                    string hash = added.GetProperty("Hash").GetString()!;
                    if (parseResult.GetValue(quiet) || parseResult.GetValue(quieter))
                    {
                        await context.Output.WriteLineAsync(hash);
                    }
                    else
                    {
                        await context.Output.WriteLineAsync($"added {hash} {added.GetProperty("Name").GetString()}");
                    }
                }
            }

            return 0;
        }));
        return command;
    }
}
