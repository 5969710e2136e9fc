using System.CommandLine;
using Helia.Multiformats;

namespace Helia.Cli;

/// <summary>Runs a command action so that a user error prints "Error: message" (Kubo's form) and exits 1, no stack trace.</summary>
internal static class CliErrors
{
    public const int Failure = 1;

    public static async Task<int> RunAsync(ParseResult parseResult, Func<Task<int>> action)
    {
        try
        {
            return await action();
        }
        catch (Exception ex) when (ex is CliUsageException or MultiformatsException or IOException or UnauthorizedAccessException)
        {
            await parseResult.InvocationConfiguration.Error.WriteLineAsync($"Error: {ex.Message}");
            return Failure;
        }
    }
}
