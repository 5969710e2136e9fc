using System.CommandLine;
using System.Globalization;
using System.Text.Json;

namespace Helia.Cli.Commands;

/// <summary>`helia ping PEER [-n COUNT]`: libp2p pings to a peer ID or /…/p2p/ID address, printed as Kubo's `ipfs ping` prints them.</summary>
internal static class PingCommand
{
    public static Command Create()
    {
        var peer = new Argument<string>("peer ID") { Description = "ID of peer to be pinged (or its multiaddr ending in /p2p/ID)." };
        var count = new Option<int>("--count", "-n") { Description = "Number of ping messages to send.", DefaultValueFactory = _ => 10 };
        var command = new Command("ping", "Send echo request packets to IPFS hosts.") { peer, count };
        CliAction.Set(command, (parseResult, context) => CliAction.WithSessionAsync(context, requiresDaemon: true, async client =>
        {
            KeyValuePair<string, string>[] flags = [new("count", parseResult.GetValue(count).ToString(CultureInfo.InvariantCulture))];
            await foreach (JsonElement result in client.PostNdjsonAsync("ping", [parseResult.GetValue(peer)!], flags, null, context.CancellationToken))
            {
                string text = result.GetProperty("Text").GetString() ?? "";
                await context.Output.WriteLineAsync(text.Length > 0
                    ? text
                    : $"Pong received: time={(result.GetProperty("Time").GetInt64() / 1e6).ToString("0.00", CultureInfo.InvariantCulture)} ms");
            }

            return 0;
        }));
        return command;
    }
}
