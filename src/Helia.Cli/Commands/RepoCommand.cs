using System.CommandLine;
using System.Globalization;
using System.Text.Json;

namespace Helia.Cli.Commands;

/// <summary>`helia repo gc|stat`: garbage collection and repo statistics, as Kubo's `ipfs repo`.</summary>
internal static class RepoCommand
{
    public static Command Create()
    {
        var command = new Command("repo", "Manipulate the helia repository.");
        command.Subcommands.Add(CreateGc());
        command.Subcommands.Add(CreateStat());
        return command;
    }

    private static Command CreateGc()
    {
        var quiet = new Option<bool>("--quiet", "-q") { Description = "Write minimal output." };
        var command = new Command("gc", "Perform a garbage collection sweep on the repo.") { quiet };
        CliAction.Set(command, (parseResult, context) => CliAction.WithSessionAsync(context, requiresDaemon: false, async client =>
        {
            await foreach (JsonElement removed in client.PostNdjsonAsync("repo/gc", [], [], null, context.CancellationToken))
            {
                string cid = removed.GetProperty("Key").GetProperty("/").GetString()!;
                await context.Output.WriteLineAsync(parseResult.GetValue(quiet) ? cid : $"removed {cid}");
            }

            return 0;
        }));
        return command;
    }

    private static Command CreateStat()
    {
        var sizeOnly = new Option<bool>("--size-only", "-s") { Description = "Only report RepoSize and StorageMax." };
        var human = new Option<bool>("--human", "-H") { Description = "Print sizes in human readable format (e.g., 1K 234M 2G)." };
        var command = new Command("stat", "Get stats for the currently used repo.") { sizeOnly, human };
        CliAction.Set(command, (parseResult, context) => CliAction.WithSessionAsync(context, requiresDaemon: false, async client =>
        {
            bool isSizeOnly = parseResult.GetValue(sizeOnly);
            JsonElement stat = await client.PostJsonAsync("repo/stat", [], [new("size-only", CliAction.Flag(isSizeOnly))], context.CancellationToken);
            Func<ulong, string> size = parseResult.GetValue(human) ? Humanize : v => v.ToString(CultureInfo.InvariantCulture);
            if (!isSizeOnly)
            {
                await context.Output.WriteLineAsync($"NumObjects: {stat.GetProperty("NumObjects").GetUInt64().ToString(CultureInfo.InvariantCulture)}");
            }

            await context.Output.WriteLineAsync($"RepoSize:   {size(stat.GetProperty("RepoSize").GetUInt64())}");
            await context.Output.WriteLineAsync($"StorageMax: {size(stat.GetProperty("StorageMax").GetUInt64())}");
            if (!isSizeOnly)
            {
                await context.Output.WriteLineAsync($"RepoPath:   {stat.GetProperty("RepoPath").GetString()}");
                await context.Output.WriteLineAsync($"Version:    {stat.GetProperty("Version").GetString()}");
            }

            return 0;
        }));
        return command;
    }

    /// <summary>Kubo's humanize.Bytes: SI units with one decimal below 10 ("14 kB", "2.3 MB").</summary>
    internal static string Humanize(ulong bytes)
    {
        string[] units = ["B", "kB", "MB", "GB", "TB", "PB", "EB"];
        if (bytes < 10)
        {
            return $"{bytes.ToString(CultureInfo.InvariantCulture)} B";
        }

        double value = bytes;
        int unit = 0;
        while (value >= 1000 && unit < units.Length - 1)
        {
            value /= 1000;
            unit++;
        }

        string format = value < 10 ? "0.0" : "0";
        return $"{value.ToString(format, CultureInfo.InvariantCulture)} {units[unit]}";
    }
}
