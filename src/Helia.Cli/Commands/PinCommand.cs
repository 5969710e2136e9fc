using System.CommandLine;
using System.Text.Json;

namespace Helia.Cli.Commands;

/// <summary>`helia pin add|ls|rm`: keep DAGs from garbage collection, as Kubo's `ipfs pin`.</summary>
internal static class PinCommand
{
    public static Command Create()
    {
        var command = new Command("pin", "Pin (and unpin) objects to local storage.");
        command.Subcommands.Add(CreateAddOrRm("add", "Pin objects to local storage.", "pin/add", recursive => recursive ? "pinned {0} recursively" : "pinned {0} directly"));
        command.Subcommands.Add(CreateAddOrRm("rm", "Remove object from pin-list.", "pin/rm", _ => "unpinned {0}"));
        command.Subcommands.Add(CreateLs());
        return command;
    }

    private static Command CreateAddOrRm(string name, string description, string rpc, Func<bool, string> format)
    {
        var paths = new Argument<string[]>("ipfs-path") { Description = "Path to object(s) to be pinned or unpinned.", Arity = ArgumentArity.OneOrMore };
        var recursive = new Option<bool>("--recursive", "-r") { Description = "Recursively pin or unpin the object linked to by the specified object(s).", DefaultValueFactory = _ => true };
        var command = new Command(name, description) { paths, recursive };
        CliAction.Set(command, (parseResult, context) => CliAction.WithSessionAsync(context, requiresDaemon: false, async client =>
        {
            bool isRecursive = parseResult.GetValue(recursive);
            JsonElement result = await client.PostJsonAsync(rpc, parseResult.GetValue(paths)!, [new("recursive", CliAction.Flag(isRecursive))], context.CancellationToken);
            foreach (JsonElement pinned in result.GetProperty("Pins").EnumerateArray())
            {
                await context.Output.WriteLineAsync(string.Format(System.Globalization.CultureInfo.InvariantCulture, format(isRecursive), pinned.GetString()));
            }

            return 0;
        }));
        return command;
    }

    private static Command CreateLs()
    {
        var paths = new Argument<string[]>("ipfs-path") { Description = "Path to object(s) to be listed.", Arity = ArgumentArity.ZeroOrMore };
        var type = new Option<string>("--type", "-t") { Description = "The type of pinned keys to list: direct, indirect, recursive, or all.", DefaultValueFactory = _ => "all" };
        var quiet = new Option<bool>("--quiet", "-q") { Description = "Write just hashes of objects." };
        var command = new Command("ls", "List objects pinned to local storage.") { paths, type, quiet };
        CliAction.Set(command, (parseResult, context) => CliAction.WithSessionAsync(context, requiresDaemon: false, async client =>
        {
            var flags = new List<KeyValuePair<string, string>> { new("type", parseResult.GetValue(type)!), new("stream", "true") };
            await foreach (JsonElement pin in client.PostNdjsonAsync("pin/ls", parseResult.GetValue(paths)!, flags, null, context.CancellationToken))
            {
                string cid = pin.GetProperty("Cid").GetString()!;
                await context.Output.WriteLineAsync(parseResult.GetValue(quiet) ? cid : $"{cid} {pin.GetProperty("Type").GetString()}");
            }

            return 0;
        }));
        return command;
    }
}
