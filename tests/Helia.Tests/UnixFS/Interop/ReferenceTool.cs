using System.Diagnostics;

namespace Helia.Tests.UnixFS.Interop;

/// <summary>Runs a reference implementation's command line to its end, bounded in time (the process tree is killed on timeout or cancellation).</summary>
internal static class ReferenceTool
{
    /// <summary>Runs <paramref name="start"/> (standard output and error redirected here) and returns its standard output; throws if it exits with an error.</summary>
    public static async Task<string> RunAsync(ProcessStartInfo start, TimeSpan limit, CancellationToken cancellationToken)
    {
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        start.UseShellExecute = false;
        using Process process = Process.Start(start) ?? throw new InvalidOperationException($"{start.FileName} did not start.");
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(limit);
        Task<string> stdout = process.StandardOutput.ReadToEndAsync(timeout.Token);
        Task<string> stderr = process.StandardError.ReadToEndAsync(timeout.Token);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        string output = await stdout;
        string errors = await stderr;
        return process.ExitCode == 0
            ? output
            : throw new InvalidOperationException($"{start.FileName} {string.Join(' ', start.ArgumentList)} failed ({process.ExitCode}): {errors}");
    }
}
