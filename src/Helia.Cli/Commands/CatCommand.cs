using System.CommandLine;
using System.Globalization;

namespace Helia.Cli.Commands;

/// <summary>`helia cat CID [--offset N] [--length N]`: writes a file's bytes to standard output.</summary>
internal static class CatCommand
{
    public static Command Create()
    {
        var path = new Argument<string>("ipfs-path") { Description = "The CID (or /ipfs/CID) of the file." };
        var offset = new Option<long?>("--offset", "-o") { Description = "Byte offset to begin reading from." };
        var length = new Option<long?>("--length", "-l") { Description = "Maximum number of bytes to read." };
        var command = new Command("cat", "Show IPFS object data.") { path, offset, length };
        CliAction.Set(command, (parseResult, context) => CliAction.WithSessionAsync(context, requiresDaemon: false, async client =>
        {
            var flags = new List<KeyValuePair<string, string>>();
            if (parseResult.GetValue(offset) is long start)
            {
                flags.Add(new("offset", start.ToString(CultureInfo.InvariantCulture)));
            }

            if (parseResult.GetValue(length) is long count)
            {
                flags.Add(new("length", count.ToString(CultureInfo.InvariantCulture)));
            }

            using HttpResponseMessage response = await client.PostAsync("cat", [parseResult.GetValue(path)!], flags, null, context.CancellationToken);
            await using Stream body = await response.Content.ReadAsStreamAsync(context.CancellationToken);
            await CliAction.WriteBinaryAsync(context, body);

            return response.TrailingHeaders.TryGetValues(Http.Rpc.RpcResponses.StreamErrorTrailer, out IEnumerable<string>? errors)
                ? throw new CliException(string.Join("; ", errors))
                : 0;
        }));
        return command;
    }
}
