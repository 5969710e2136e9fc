using System.CommandLine;
using System.Globalization;
using Helia.Cli.Http.Rpc;

namespace Helia.Cli.Commands;

/// <summary>
/// `helia get CID[/path] [-o PATH] [-a] [-C] [-l N]`: fetches the get endpoint's tar stream and unpacks the file or
/// directory tree to disk (default: named after the path's last segment in the current directory), or with -a/-C saves
/// the archive (or the gzipped file) itself, as Kubo's `ipfs get`.
/// </summary>
internal static class GetCommand
{
    public static Command Create()
    {
        var path = new Argument<string>("ipfs-path") { Description = "The path to the IPFS object(s) to be outputted." };
        var output = new Option<string?>("--output", "-o") { Description = "The path where the output should be stored." };
        var archive = new Option<bool>("--archive", "-a") { Description = "Output a TAR archive." };
        var compress = new Option<bool>("--compress", "-C") { Description = "Compress the output with GZIP compression." };
        var level = new Option<int?>("--compression-level", "-l") { Description = "The level of compression (1-9)." };
        var progress = new Option<bool?>("--progress", "-p") { Description = "Stream progress data. Defaults to true when stderr is a terminal." };
        var command = new Command("get", "Download IPFS objects.") { path, output, archive, compress, level, progress };
        CliAction.Set(command, (parseResult, context) =>
        {
            bool isArchive = parseResult.GetValue(archive);
            bool isCompressed = parseResult.GetValue(compress);
            int? compressionLevel = parseResult.GetValue(level);
            if (isCompressed && compressionLevel is < 1 or > 9)
            {
                throw new CliException("compression level must be between 1 and 9");
            }

            return CliAction.WithSessionAsync(context, requiresDaemon: false, async client =>
            {
                string source = parseResult.GetValue(path)!;
                var flags = new List<KeyValuePair<string, string>>
                {
                    new("archive", CliAction.Flag(isArchive)),
                    new("compress", CliAction.Flag(isCompressed)),
                };
                if (isCompressed && compressionLevel is int n)
                {
                    flags.Add(new("compression-level", n.ToString(CultureInfo.InvariantCulture)));
                }

                string destination = Path.GetFullPath(parseResult.GetValue(output) ?? KuboRpcEndpoints.ArchiveRootName(source));
                using HttpResponseMessage response = await client.PostAsync("get", [source], flags, null, context.CancellationToken);
                long? size = response.Headers.TryGetValues(KuboRpcEndpoints.ContentLengthHeader, out IEnumerable<string>? lengths)
                    && long.TryParse(lengths.FirstOrDefault(), NumberStyles.None, CultureInfo.InvariantCulture, out long length) ? length : null;
                await using CliProgress? bar = CliProgress.Start(CliProgress.ShouldShow(parseResult.GetValue(progress), quiet: false, context.Error), context.Error, "get", size);
                Stream raw = await response.Content.ReadAsStreamAsync(context.CancellationToken);
                await using Stream body = bar?.Wrap(raw) ?? raw;
                if (isArchive || isCompressed)
                {
                    destination = ArchiveFileName(destination, isArchive, isCompressed);
                    await context.Output.WriteLineAsync($"Saving archive to {destination}");
                    await using FileStream file = File.Create(destination);
                    await body.CopyToAsync(file, context.CancellationToken);
                }
                else
                {
                    await context.Output.WriteLineAsync($"Saving file(s) to {destination}");
                    try
                    {
                        await TarExtractor.ExtractAsync(body, destination, context.CancellationToken);
                        await body.CopyToAsync(Stream.Null, context.CancellationToken);   // to the end, where the trailers are
                    }
                    catch (CliException) when (StreamError(response) is { } streamError)
                    {
                        throw new CliException(streamError);   // the daemon's reason, not the truncated archive it caused
                    }
                }

                return StreamError(response) is { } error ? throw new CliException(error) : 0;
            });
        });
        return command;
    }

    /// <summary>Kubo's naming: -a adds ".tar" unless the name ends in .tar or .tar.gz; -C adds ".gz" unless it ends in .gz.</summary>
    private static string ArchiveFileName(string path, bool archive, bool compress)
    {
        if (archive && !path.EndsWith(".tar", StringComparison.Ordinal) && !path.EndsWith(".tar.gz", StringComparison.Ordinal))
        {
            path += ".tar";
        }

        if (compress && !path.EndsWith(".gz", StringComparison.Ordinal))
        {
            path += ".gz";
        }

        return path;
    }

    private static string? StreamError(HttpResponseMessage response) =>
        response.TrailingHeaders.TryGetValues(RpcResponses.StreamErrorTrailer, out IEnumerable<string>? errors) ? string.Join("; ", errors) : null;
}
