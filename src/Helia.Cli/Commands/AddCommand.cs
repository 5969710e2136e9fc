using System.CommandLine;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Helia.Cli.Http.Rpc;

namespace Helia.Cli.Commands;

/// <summary>
/// `helia add [PATH...] [-r] [-w] [--hidden] [--profile NAME] [--cid-version N] [--raw-leaves] [--chunker size-N|rabin-MIN-AVG-MAX] [--hash H]
/// [--trickle] [--inline] [-Q] [-q] [--only-hash] [--pin=false]`: files, directories (with -r) or standard input, uploaded as Kubo's clients do (one multipart body,
/// directories as application/x-directory parts, symlinks as application/symlink).
/// </summary>
internal static class AddCommand
{
    public static Command Create(CliStreams streams)
    {
        var paths = new Argument<string[]>("path") { Description = "The path to a file to be added (standard input when none).", Arity = ArgumentArity.ZeroOrMore };
        var recursive = new Option<bool>("--recursive", "-r") { Description = "Add directory paths recursively." };
        var wrap = new Option<bool>("--wrap-with-directory", "-w") { Description = "Wrap files with a directory object." };
        var hidden = new Option<bool>("--hidden", "-H") { Description = "Include files that are hidden (names starting with '.')." };
        var cidVersion = new Option<int?>("--cid-version") { Description = "CID version (0 or 1)." };
        var rawLeaves = new Option<bool?>("--raw-leaves") { Description = "Use raw blocks for leaf nodes." };
        var chunker = new Option<string?>("--chunker", "-s") { Description = "Chunking algorithm: size-[bytes], rabin, rabin-[avg] or rabin-[min]-[avg]-[max]." };
        var quiet = new Option<bool>("--quiet", "-q") { Description = "Write only the hashes." };
        var quieter = new Option<bool>("--quieter", "-Q") { Description = "Write only the final hash." };
        var onlyHash = new Option<bool>("--only-hash", "-n") { Description = "Only chunk and hash, do not write to disk." };
        var hash = new Option<string?>("--hash") { Description = "Hash function to use (implies CIDv1 unless --cid-version 0)." };
        var profile = new Option<string?>("--profile") { Description = "Import profile: unixfs-v1-2025, unixfs-v0-2015 or helia (other flags override it)." };
        var inline = new Option<bool>("--inline") { Description = "Inline small blocks into CIDs (identity hash)." };
        var inlineLimit = new Option<int?>("--inline-limit") { Description = "Maximum block size to inline (default 32)." };
        var trickle = new Option<bool>("--trickle", "-t") { Description = "Use the trickle DAG format." };
        var pin = new Option<bool>("--pin") { Description = "Pin the added files.", DefaultValueFactory = _ => true };
        var progress = new Option<bool?>("--progress", "-p") { Description = "Stream progress data. Defaults to true when stderr is a terminal." };
        var command = new Command("add", "Add a file or directory to helia.") { paths, recursive, wrap, hidden, cidVersion, rawLeaves, chunker, hash, profile, inline, inlineLimit, trickle, quiet, quieter, onlyHash, pin, progress };
        CliAction.Set(command, (parseResult, context) =>
        {
            // Check the paths before opening the repo, so a typo fails fast and says why.
            string[] given = parseResult.GetValue(paths)!;
            foreach (string path in given)
            {
                if (Directory.Exists(path) && !parseResult.GetValue(recursive))
                {
                    throw new CliException($"{path} is a directory, use the '-r' flag to specify directories");
                }

                if (!Directory.Exists(path) && !File.Exists(path))
                {
                    throw new CliException($"{Path.GetFullPath(path)}: no such file or directory");
                }
            }

            if (given.Length == 0 && !streams.InputRedirected)
            {
                throw new CliException("argument \"path\" is required (or pipe data to standard input)");
            }

            return CliAction.WithSessionAsync(context, requiresDaemon: false, async client =>
            {
                var flags = new List<KeyValuePair<string, string>>
                {
                    new("only-hash", CliAction.Flag(parseResult.GetValue(onlyHash))),
                    new("pin", CliAction.Flag(parseResult.GetValue(pin))),
                    new("wrap-with-directory", CliAction.Flag(parseResult.GetValue(wrap))),
                    new("inline", CliAction.Flag(parseResult.GetValue(inline))),
                    new("trickle", CliAction.Flag(parseResult.GetValue(trickle))),
                };
                foreach ((string name, string? value) in new[] { ("chunker", parseResult.GetValue(chunker)), ("hash", parseResult.GetValue(hash)), ("profile", parseResult.GetValue(profile)) })
                {
                    if (value is not null)
                    {
                        flags.Add(new(name, value));
                    }
                }

                if (parseResult.GetValue(inlineLimit) is int limit)
                {
                    flags.Add(new("inline-limit", limit.ToString(CultureInfo.InvariantCulture)));
                }

                if (parseResult.GetValue(cidVersion) is int version)
                {
                    flags.Add(new("cid-version", version.ToString(CultureInfo.InvariantCulture)));
                }

                if (parseResult.GetValue(rawLeaves) is bool raw)
                {
                    flags.Add(new("raw-leaves", CliAction.Flag(raw)));
                }

                bool quietOutput = parseResult.GetValue(quiet) || parseResult.GetValue(quieter);
                bool showProgress = CliProgress.ShouldShow(parseResult.GetValue(progress), quietOutput, context.Error);
                long? total = showProgress && given.Length > 0 ? given.Sum(p => TotalSize(new FileInfo(Path.GetFullPath(p)), parseResult.GetValue(hidden))) : null;
                await using CliProgress? bar = CliProgress.Start(showProgress, context.Error, "add", total);
                using var content = new MultipartFormDataContent();
                if (given.Length == 0)
                {
                    Stream input = streams.OpenInput();
                    content.Add(new StreamContent(bar?.Wrap(input) ?? input) { Headers = { ContentType = new MediaTypeHeaderValue("application/octet-stream") } }, "file");
                }

                foreach (string path in given)
                {
                    string full = Path.GetFullPath(path);
                    AddEntry(content, new DirectoryInfo(full).Exists ? new DirectoryInfo(full) : new FileInfo(full), Path.GetFileName(full.TrimEnd('/')), parseResult.GetValue(hidden), bar);
                }

                // With a bar on the terminal, the "added" lines wait until it is cleared, so the two never interleave.
                var lines = new List<string>();
                TextWriter output = context.Output;
                string? last = null;
                await foreach (JsonElement added in client.PostNdjsonAsync("add", [], flags, content, context.CancellationToken))
                {
                    string hash = added.GetProperty("Hash").GetString()!;
                    last = hash;
                    if (parseResult.GetValue(quieter))
                    {
                        continue;
                    }

                    string line = parseResult.GetValue(quiet) ? hash : $"added {hash} {added.GetProperty("Name").GetString()}";
                    if (bar is null)
                    {
                        await output.WriteLineAsync(line);
                    }
                    else
                    {
                        lines.Add(line);
                    }
                }

                if (bar is not null)
                {
                    await bar.DisposeAsync();
                    foreach (string line in lines)
                    {
                        await output.WriteLineAsync(line);
                    }
                }

                if (parseResult.GetValue(quieter) && last is not null)
                {
                    await output.WriteLineAsync(last);
                }

                return 0;
            });
        });
        return command;
    }

    /// <summary>One file, symlink, or directory and (recursively) what it holds, as multipart parts named by relative path.</summary>
    private static void AddEntry(MultipartFormDataContent content, FileSystemInfo info, string name, bool hidden, CliProgress? progress)
    {
        if (info.LinkTarget is { } target)
        {
            content.Add(new ByteArrayContent(Encoding.UTF8.GetBytes(target)) { Headers = { ContentType = new MediaTypeHeaderValue(RpcUploadPart.SymlinkContentType) } }, "file", Uri.EscapeDataString(name));
            return;
        }

        if (info is not DirectoryInfo directory)
        {
            content.Add(new LazyFileContent(info.FullName, progress), "file", Uri.EscapeDataString(name));
            return;
        }

        content.Add(new ByteArrayContent([]) { Headers = { ContentType = new MediaTypeHeaderValue(RpcUploadPart.DirectoryContentType) } }, "file", Uri.EscapeDataString(name));
        foreach (FileSystemInfo child in directory.EnumerateFileSystemInfos().OrderBy(c => c.Name, StringComparer.Ordinal))
        {
            if (hidden || !child.Name.StartsWith('.'))
            {
                AddEntry(content, child, $"{name}/{child.Name}", hidden, progress);
            }
        }
    }

    /// <summary>The bytes of the files add will upload (what the progress bar counts to): a file, or a tree's files.</summary>
    private static long TotalSize(FileInfo path, bool hidden)
    {
        if (path.LinkTarget is not null)
        {
            return 0;
        }

        if (path.Exists)
        {
            return path.Length;
        }

        var directory = new DirectoryInfo(path.FullName);
        return directory.Exists
            ? directory.EnumerateFileSystemInfos().Where(c => hidden || !c.Name.StartsWith('.')).Sum(c => TotalSize(new FileInfo(c.FullName), hidden))
            : 0;
    }

    /// <summary>A file part opened only when it is sent, so a large tree does not hold every file open at once.</summary>
    private sealed class LazyFileContent : HttpContent
    {
        private readonly string _path;
        private readonly CliProgress? _progress;

        public LazyFileContent(string path, CliProgress? progress)
        {
            _path = path;
            _progress = progress;
            Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        }

        protected override async Task SerializeToStreamAsync(Stream stream, System.Net.TransportContext? context) =>
            await SerializeToStreamAsync(stream, context, CancellationToken.None);

        protected override async Task SerializeToStreamAsync(Stream stream, System.Net.TransportContext? context, CancellationToken cancellationToken)
        {
            FileStream file = File.OpenRead(_path);
            await using Stream counted = _progress?.Wrap(file) ?? file;
            await counted.CopyToAsync(stream, cancellationToken);
        }

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }
    }
}
