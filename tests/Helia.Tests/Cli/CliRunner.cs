using Helia.Cli;

namespace Helia.Tests.Cli;

/// <summary>Runs the helia command tree in-process and captures what it prints.</summary>
internal static class CliRunner
{
    /// <summary>Runs with no stdin (as from a terminal) and captures the text output.</summary>
    public static async Task<(int ExitCode, string Output, string Error)> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var streams = new CliStreams(() => Stream.Null, () => Stream.Null, inputRedirected: false);
        int exitCode = await HeliaCommandLine.InvokeAsync(args, output, error, streams, TestContext.Current.CancellationToken);
        return (exitCode, output.ToString(), error.ToString());
    }

    /// <summary>Runs with <paramref name="stdin"/> piped in; also returns the bytes written to stdout as binary.</summary>
    public static async Task<(int ExitCode, string Output, string Error, byte[] Stdout)> RunWithStdinAsync(byte[] stdin, params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        using var stdout = new MemoryStream();
        int exitCode = await HeliaCommandLine.InvokeAsync(args, output, error, CliStreams.FromMemory(stdin, stdout), TestContext.Current.CancellationToken);
        return (exitCode, output.ToString(), error.ToString(), stdout.ToArray());
    }
}
