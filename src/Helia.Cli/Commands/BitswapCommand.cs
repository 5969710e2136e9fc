using System.CommandLine;
using System.Globalization;
using System.Text.Json;

namespace Helia.Cli.Commands;

/// <summary>`helia bitswap stat|wantlist`: Bitswap diagnostics from the running daemon, as Kubo's `ipfs bitswap`.</summary>
internal static class BitswapCommand
{
    public static Command Create()
    {
        var command = new Command("bitswap", "Interact with the bitswap agent.");
        command.Subcommands.Add(CreateStat());
        command.Subcommands.Add(CreateWantlist());
        return command;
    }

    private static Command CreateStat()
    {
        var verbose = new Option<bool>("--verbose", "-v") { Description = "Print extra information (the partners)." };
        var human = new Option<bool>("--human", "-H") { Description = "Print sizes in human readable format (e.g., 1K 234M 2G)." };
        var command = new Command("stat", "Show some diagnostic information on the bitswap agent.") { verbose, human };
        CliAction.Set(command, (parseResult, context) => CliAction.WithSessionAsync(context, requiresDaemon: true, async client =>
        {
            JsonElement stat = await client.PostJsonAsync("bitswap/stat", [], [], context.CancellationToken);
            Func<ulong, string> size = parseResult.GetValue(human) ? RepoCommand.Humanize : v => v.ToString(CultureInfo.InvariantCulture);
            string Count(string name) => stat.GetProperty(name).GetUInt64().ToString(CultureInfo.InvariantCulture);
            TextWriter output = context.Output;
            await output.WriteLineAsync("bitswap status");
            await output.WriteLineAsync($"\tprovides buffer: {Count("ProvideBufLen")} / 256");
            await output.WriteLineAsync($"\tblocks received: {Count("BlocksReceived")}");
            await output.WriteLineAsync($"\tblocks sent: {Count("BlocksSent")}");
            await output.WriteLineAsync($"\tdata received: {size(stat.GetProperty("DataReceived").GetUInt64())}");
            await output.WriteLineAsync($"\tdata sent: {size(stat.GetProperty("DataSent").GetUInt64())}");
            await output.WriteLineAsync($"\tdup blocks received: {Count("DupBlksReceived")}");
            await output.WriteLineAsync($"\tdup data received: {size(stat.GetProperty("DupDataReceived").GetUInt64())}");
            JsonElement wantlist = stat.GetProperty("Wantlist");
            await output.WriteLineAsync($"\twantlist [{wantlist.GetArrayLength().ToString(CultureInfo.InvariantCulture)} keys]");
            foreach (JsonElement want in wantlist.EnumerateArray())
            {
                await output.WriteLineAsync($"\t\t{want.GetProperty("/").GetString()}");
            }

            JsonElement peers = stat.GetProperty("Peers");
            await output.WriteLineAsync($"\tpartners [{peers.GetArrayLength().ToString(CultureInfo.InvariantCulture)}]");
            if (parseResult.GetValue(verbose))
            {
                foreach (JsonElement peer in peers.EnumerateArray())
                {
                    await output.WriteLineAsync($"\t\t{peer.GetString()}");
                }
            }

            return 0;
        }));
        return command;
    }

    private static Command CreateWantlist()
    {
        var peer = new Option<string?>("--peer", "-p") { Description = "Specify which peer to show wantlist for." };
        var command = new Command("wantlist", "Show blocks currently on the wantlist.") { peer };
        CliAction.Set(command, (parseResult, context) => CliAction.WithSessionAsync(context, requiresDaemon: true, async client =>
        {
            List<KeyValuePair<string, string>> flags = parseResult.GetValue(peer) is { } p ? [new("peer", p)] : [];
            JsonElement wantlist = await client.PostJsonAsync("bitswap/wantlist", [], flags, context.CancellationToken);
            foreach (JsonElement key in wantlist.GetProperty("Keys").EnumerateArray())
            {
                await context.Output.WriteLineAsync(key.GetProperty("/").GetString());
            }

            return 0;
        }));
        return command;
    }
}
