using System.CommandLine;
using System.Globalization;
using System.Text.Json;

namespace Helia.Cli.Commands;

/// <summary>`helia block put|get|stat|rm`: raw blocks, as Kubo's `ipfs block`.</summary>
internal static class BlockCommand
{
    public static Command Create()
    {
        var command = new Command("block", "Interact with raw IPFS blocks.");
        command.Subcommands.Add(CreatePut());
        command.Subcommands.Add(CreateGet());
        command.Subcommands.Add(CreateStat());
        command.Subcommands.Add(CreateRm());
        return command;
    }

    private static Command CreatePut()
    {
        var data = new Argument<FileInfo[]>("data") { Description = "The files containing the data to store.", Arity = ArgumentArity.OneOrMore };
        var cidCodec = new Option<string?>("--cid-codec") { Description = "Multicodec to use in the returned CID (default: raw)." };
        var mhtype = new Option<string?>("--mhtype") { Description = "Multihash hash function (default: sha2-256)." };
        var mhlen = new Option<int?>("--mhlen") { Description = "Multihash hash length." };
        var format = new Option<string?>("--format", "-f") { Description = "Deprecated: use --cid-codec (v0, protobuf, cbor, raw)." };
        var pin = new Option<bool>("--pin") { Description = "Pin added blocks recursively." };
        var allowBig = new Option<bool>("--allow-big-block") { Description = "Allow blocks larger than 2 MiB." };
        var command = new Command("put", "Store input as an IPFS block.") { data, cidCodec, mhtype, mhlen, format, pin, allowBig };
        CliAction.Set(command, (parseResult, context) => CliAction.WithSessionAsync(context, requiresDaemon: false, async client =>
        {
            var flags = new List<KeyValuePair<string, string>>
            {
                new("pin", CliAction.Flag(parseResult.GetValue(pin))),
                new("allow-big-block", CliAction.Flag(parseResult.GetValue(allowBig))),
            };
            AddIfSet(flags, "cid-codec", parseResult.GetValue(cidCodec));
            AddIfSet(flags, "mhtype", parseResult.GetValue(mhtype));
            AddIfSet(flags, "format", parseResult.GetValue(format));
            if (parseResult.GetValue(mhlen) is int length)
            {
                flags.Add(new("mhlen", length.ToString(CultureInfo.InvariantCulture)));
            }

            foreach (FileInfo file in parseResult.GetValue(data)!)
            {
                using MultipartFormDataContent content = CliAction.UploadFile(file, "data");
                await foreach (JsonElement put in client.PostNdjsonAsync("block/put", [], flags, content, context.CancellationToken))
                {
                    await context.Output.WriteLineAsync(put.GetProperty("Key").GetString());
                }
            }

            return 0;
        }));
        return command;
    }

    private static Command CreateGet()
    {
        var cid = new Argument<string>("cid") { Description = "The CID of an existing block to get." };
        var command = new Command("get", "Get a raw IPFS block.") { cid };
        CliAction.Set(command, (parseResult, context) => CliAction.WithSessionAsync(context, requiresDaemon: false, async client =>
        {
            using HttpResponseMessage response = await client.PostAsync("block/get", [parseResult.GetValue(cid)!], [], null, context.CancellationToken);
            await using Stream body = await response.Content.ReadAsStreamAsync(context.CancellationToken);
            await CliAction.WriteBinaryAsync(context, body);
            return 0;
        }));
        return command;
    }

    private static Command CreateStat()
    {
        var cid = new Argument<string>("cid") { Description = "The CID of an existing block to stat." };
        var command = new Command("stat", "Print information of a raw IPFS block.") { cid };
        CliAction.Set(command, (parseResult, context) => CliAction.WithSessionAsync(context, requiresDaemon: false, async client =>
        {
            JsonElement stat = await client.PostJsonAsync("block/stat", [parseResult.GetValue(cid)!], [], context.CancellationToken);
            await context.Output.WriteLineAsync($"Key: {stat.GetProperty("Key").GetString()}");
            await context.Output.WriteLineAsync($"Size: {stat.GetProperty("Size").GetInt64().ToString(CultureInfo.InvariantCulture)}");
            return 0;
        }));
        return command;
    }

    private static Command CreateRm()
    {
        var cids = new Argument<string[]>("cid") { Description = "CIDs of the blocks to remove.", Arity = ArgumentArity.OneOrMore };
        var force = new Option<bool>("--force", "-f") { Description = "Ignore nonexistent blocks." };
        var quiet = new Option<bool>("--quiet", "-q") { Description = "Write minimal output." };
        var command = new Command("rm", "Remove IPFS block(s) from the local datastore.") { cids, force, quiet };
        CliAction.Set(command, (parseResult, context) => CliAction.WithSessionAsync(context, requiresDaemon: false, async client =>
        {
            int failed = 0;
            await foreach (JsonElement removed in client.PostNdjsonAsync("block/rm", parseResult.GetValue(cids)!, [new("force", CliAction.Flag(parseResult.GetValue(force)))], null, context.CancellationToken))
            {
                string hash = removed.GetProperty("Hash").GetString()!;
                string error = removed.TryGetProperty("Error", out JsonElement e) ? e.GetString() ?? "" : "";
                if (error.Length > 0)
                {
                    failed++;
                    await context.Error.WriteLineAsync($"cannot remove {hash}: {error}");
                }
                else if (!parseResult.GetValue(quiet))
                {
                    await context.Output.WriteLineAsync($"removed {hash}");
                }
            }

            return failed > 0 ? throw new CliException("some blocks not removed") : 0;
        }));
        return command;
    }

    private static void AddIfSet(List<KeyValuePair<string, string>> flags, string name, string? value)
    {
        if (value is not null)
        {
            flags.Add(new(name, value));
        }
    }
}
