using System.CommandLine;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Helia.Cli.Commands;

/// <summary>
/// `helia config KEY [VALUE] [--json] [--bool]` and `helia config show`, as Kubo's `ipfs config`: reads or sets one
/// dotted key of the repo's config file (new values take effect when the daemon next starts); show prints the whole
/// file without the private key.
/// </summary>
internal static class ConfigCommand
{
    // Printed for people, as Kubo prints it: only what JSON requires is escaped (not +, < or é).
    private static readonly JsonSerializerOptions s_indented = new() { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static Command Create()
    {
        var key = new Argument<string>("key") { Description = "The key of the config entry (e.g. \"Addresses.API\")." };
        var value = new Argument<string?>("value") { Description = "The value to set the config entry to.", Arity = ArgumentArity.ZeroOrOne };
        var json = new Option<bool>("--json") { Description = "Parse the value as JSON." };
        var boolean = new Option<bool>("--bool") { Description = "Set a boolean value." };
        var command = new Command("config", "Get and set helia config values.") { key, value, json, boolean };
        command.Subcommands.Add(CreateShow());
        CliAction.Set(command, (parseResult, context) => CliAction.WithSessionAsync(context, requiresDaemon: false, async client =>
        {
            string? newValue = parseResult.GetValue(value);
            string[] arguments = newValue is null ? [parseResult.GetValue(key)!] : [parseResult.GetValue(key)!, newValue];
            JsonElement field = await client.PostJsonAsync(
                "config", arguments, [new("json", CliAction.Flag(parseResult.GetValue(json))), new("bool", CliAction.Flag(parseResult.GetValue(boolean)))], context.CancellationToken);
            if (newValue is null)
            {
                // Kubo prints a string as it is and anything else as indented JSON; setting prints nothing.
                JsonElement found = field.GetProperty("Value");
                await context.Output.WriteLineAsync(found.ValueKind == JsonValueKind.String ? found.GetString() : JsonSerializer.Serialize(found, s_indented));
            }

            return 0;
        }));
        return command;
    }

    private static Command CreateShow()
    {
        var command = new Command("show", "Output the config file contents (without the private key).");
        CliAction.Set(command, (parseResult, context) => CliAction.WithSessionAsync(context, requiresDaemon: false, async client =>
        {
            JsonElement config = await client.PostJsonAsync("config/show", [], [], context.CancellationToken);
            await context.Output.WriteLineAsync(JsonSerializer.Serialize(config, s_indented));
            return 0;
        }));
        return command;
    }
}
