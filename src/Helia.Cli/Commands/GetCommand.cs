using System.CommandLine;
using System.Text.Json;
using Helia.Cli.Http.Rpc;

namespace Helia.Cli.Commands;

/// <summary>
/// `helia get CID[/path] [-o PATH]`: writes a file, or a directory tree, to disk (default: a file or folder named after
/// the path in the current directory). Built on the ls and cat endpoints, so it works against any daemon that has them.
/// </summary>
internal static class GetCommand
{
    private const int DirectoryType = 1;

    public static Command Create()
    {
        var path = new Argument<string>("ipfs-path") { Description = "The path to the IPFS object(s) to be outputted." };
        var output = new Option<string?>("--output", "-o") { Description = "The path where the output should be stored." };
        var command = new Command("get", "Download IPFS objects.") { path, output };
        CliAction.Set(command, (parseResult, context) => CliAction.WithSessionAsync(context, requiresDaemon: false, async client =>
        {
            string source = parseResult.GetValue(path)!;
            string destination = Path.GetFullPath(parseResult.GetValue(output) ?? DefaultName(source));
            await context.Output.WriteLineAsync($"Saving file(s) to {destination}");
            await GetAsync(client, source, destination, depth: 0, context.CancellationToken);
            return 0;
        }));
        return command;
    }

    private static async Task GetAsync(RpcClient client, string source, string destination, int depth, CancellationToken cancellationToken)
    {
        if (depth > Helia.UnixFS.Exporter.UnixFSExporter.MaxDepth)
        {
            throw new CliException($"{source}: directories nested deeper than {Helia.UnixFS.Exporter.UnixFSExporter.MaxDepth}");
        }

        JsonElement listing = await client.PostJsonAsync("ls", [source], [], cancellationToken);
        JsonElement[] links = [.. listing.GetProperty("Objects")[0].GetProperty("Links").EnumerateArray()];
        bool isFile = links.Length == 1 && links[0].GetProperty("Name").GetString() is "" && links[0].GetProperty("Type").GetInt32() != DirectoryType;
        if (isFile)
        {
            using HttpResponseMessage response = await client.PostAsync("cat", [source], [], null, cancellationToken);
            await using (Stream body = await response.Content.ReadAsStreamAsync(cancellationToken))
            await using (FileStream file = File.Create(destination))
            {
                await body.CopyToAsync(file, cancellationToken);
            }

            if (response.TrailingHeaders.TryGetValues(RpcResponses.StreamErrorTrailer, out IEnumerable<string>? errors))
            {
                File.Delete(destination);
                throw new CliException(string.Join("; ", errors));
            }

            return;
        }

        Directory.CreateDirectory(destination);
        foreach (JsonElement link in links)
        {
            string name = link.GetProperty("Name").GetString()!;
            if (name.Length == 0 || name is "." or ".." || name.IndexOfAny(['/', '\\', '\0']) >= 0)
            {
                throw new CliException($"{source}: refusing to write the unsafe entry name \"{name}\"");
            }

            await GetAsync(client, $"{link.GetProperty("Hash").GetString()}", Path.Combine(destination, name), depth + 1, cancellationToken);
        }
    }

    private static string DefaultName(string source)
    {
        string trimmed = source.Trim().TrimEnd('/');
        int slash = trimmed.LastIndexOf('/');
        return slash >= 0 ? trimmed[(slash + 1)..] : trimmed;
    }
}
