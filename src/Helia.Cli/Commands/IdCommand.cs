using System.CommandLine;
using System.Text.Json;

namespace Helia.Cli.Commands;

/// <summary>`helia id`: the node's identity as Kubo's JSON (ID, PublicKey, Addresses, AgentVersion, Protocols).</summary>
internal static class IdCommand
{
    public static Command Create()
    {
        var command = new Command("id", "Show this node's id information.");
        CliAction.Set(command, (parseResult, context) => CliAction.WithSessionAsync(context, requiresDaemon: false, async client =>
        {
            JsonElement id = await client.PostJsonAsync("id", [], [], context.CancellationToken);
            await context.Output.WriteLineAsync(JsonSerializer.Serialize(id, s_indented));
            return 0;
        }));
        return command;
    }

    private static readonly JsonSerializerOptions s_indented = new() { WriteIndented = true };
}
