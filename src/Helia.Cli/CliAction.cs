using System.CommandLine;
using Helia.Cli.Http.Rpc;

namespace Helia.Cli;

/// <summary>Runs a command body with the one user-error funnel: "Error: message" on standard error and exit code 1.</summary>
internal static class CliAction
{
    public static void Set(Command command, Func<ParseResult, CliContext, Task<int>> body) =>
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            TextWriter error = parseResult.InvocationConfiguration.Error;
            var context = new CliContext(
                CliRepo.Resolve(parseResult.GetValue(HeliaCommandLine.RepoOption)),
                parseResult.InvocationConfiguration.Output,
                error,
                cancellationToken);
            try
            {
                return await body(parseResult, context);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return 130;
            }
            catch (Exception ex) when (ex is CliException or RpcException or Core.HeliaException or Multiformats.MultiformatsException
                or IOException or UnauthorizedAccessException or HttpRequestException or ArgumentException or InvalidOperationException
                or Libp2p.Libp2pException or TimeoutException)
            {
                await error.WriteLineAsync($"Error: {ex.Message}");
                return 1;
            }
        });

    /// <summary>Opens a session (daemon or offline repo) and runs <paramref name="body"/> with its client.</summary>
    public static async Task<int> WithSessionAsync(CliContext context, bool requiresDaemon, Func<RpcClient, Task<int>> body)
    {
        await using CliSession session = await CliSession.OpenAsync(context.Repo, requiresDaemon, context.CancellationToken);
        return await body(session.Client);
    }

    /// <summary>
    /// Copies a binary response body (cat, block get) to standard output as bytes; when the output is not the console
    /// (tests), as text.
    /// </summary>
    public static async Task WriteBinaryAsync(CliContext context, Stream body)
    {
        await context.Output.FlushAsync(context.CancellationToken);
        if (ReferenceEquals(context.Output, Console.Out))
        {
            await using Stream stdout = Console.OpenStandardOutput();
            await body.CopyToAsync(stdout, context.CancellationToken);
        }
        else
        {
            using var reader = new StreamReader(body);
            await context.Output.WriteAsync(await reader.ReadToEndAsync(context.CancellationToken));
        }
    }

    /// <summary>"true" or "false", as the RPC API's boolean flags are written.</summary>
    public static string Flag(bool value) => value ? "true" : "false";

    /// <summary>A multipart upload of one file as the RPC API takes it (add's "file", block put's "data").</summary>
    public static MultipartFormDataContent UploadFile(FileInfo file, string field)
    {
        if (!file.Exists)
        {
            throw new CliException($"{file.FullName}: no such file");
        }

        var content = new MultipartFormDataContent();
        var part = new StreamContent(file.OpenRead());
        part.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/octet-stream");
        content.Add(part, field, Uri.EscapeDataString(file.Name));
        return content;
    }
}
