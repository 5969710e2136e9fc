using System.CommandLine;
using System.Text.Json;

namespace Helia.Cli.Commands;

/// <summary>`helia swarm peers|connect|disconnect|addrs`: the daemon's connections (these need a running daemon).</summary>
internal static class SwarmCommand
{
    public static Command Create()
    {
        var command = new Command("swarm", "Interact with the swarm.");

        var peers = new Command("peers", "List peers with open connections.");
        CliAction.Set(peers, (parseResult, context) => CliAction.WithSessionAsync(context, requiresDaemon: true, async client =>
        {
            JsonElement result = await client.PostJsonAsync("swarm/peers", [], [], context.CancellationToken);
            foreach (JsonElement peer in result.GetProperty("Peers").EnumerateArray())
            {
                await context.Output.WriteLineAsync($"{peer.GetProperty("Addr").GetString()}/p2p/{peer.GetProperty("Peer").GetString()}");
            }

            return 0;
        }));

        command.Subcommands.Add(peers);
        command.Subcommands.Add(CreateStrings("connect", "Open a connection to a peer address (ending in /p2p/ID).", "swarm/connect"));
        command.Subcommands.Add(CreateStrings("disconnect", "Close the connection to a peer.", "swarm/disconnect"));

        var addrs = new Command("addrs", "List known addresses of connected peers.");
        CliAction.Set(addrs, (parseResult, context) => CliAction.WithSessionAsync(context, requiresDaemon: true, async client =>
        {
            JsonElement result = await client.PostJsonAsync("swarm/addrs", [], [], context.CancellationToken);
            foreach (JsonProperty peer in result.GetProperty("Addrs").EnumerateObject())
            {
                await context.Output.WriteLineAsync($"{peer.Name} ({peer.Value.GetArrayLength()})");
                foreach (JsonElement address in peer.Value.EnumerateArray())
                {
                    await context.Output.WriteLineAsync($"\t{address.GetString()}");
                }
            }

            return 0;
        }));
        command.Subcommands.Add(addrs);
        return command;
    }

    private static Command CreateStrings(string name, string description, string rpc)
    {
        var address = new Argument<string[]>("address") { Arity = ArgumentArity.OneOrMore, Description = "Peer multiaddr(s)." };
        var command = new Command(name, description) { address };
        CliAction.Set(command, (parseResult, context) => CliAction.WithSessionAsync(context, requiresDaemon: true, async client =>
        {
            JsonElement result = await client.PostJsonAsync(rpc, parseResult.GetValue(address)!, [], context.CancellationToken);
            foreach (JsonElement line in result.GetProperty("Strings").EnumerateArray())
            {
                await context.Output.WriteLineAsync(line.GetString());
            }

            return 0;
        }));
        return command;
    }
}
