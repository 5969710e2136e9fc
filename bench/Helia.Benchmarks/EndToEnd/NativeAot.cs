using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Helia.Benchmarks.EndToEnd;

/// <summary>Publishes one of the benchmark's node programs with Native AOT (its project sets PublishAot) before a run uses it.</summary>
internal static class NativeAot
{
    /// <summary>
    /// `dotnet publish` of bench/<paramref name="project"/> for this machine's runtime identifier into its bin/aot;
    /// the native executable's path, or null (and a note that <paramref name="what"/> was not measured, with dotnet's message) if it fails.
    /// An unchanged node publishes again in seconds: the native compile is skipped when its inputs have not changed.
    /// </summary>
    public static async Task<string?> PublishAsync(string root, string project, string what, List<string> notes)
    {
        string output = Path.Combine(root, "bench", project, "bin/aot");
        Console.WriteLine($"Publishing bench/{project} with Native AOT...");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string argument in (string[])["publish", Path.Combine(root, "bench", project, $"{project}.csproj"), "-c", "Release",
            "-r", RuntimeInformation.RuntimeIdentifier, "-o", output, "--nologo", "-v", "quiet"])
        {
            start.ArgumentList.Add(argument);
        }

        try
        {
            long started = Stopwatch.GetTimestamp();
            using Process publish = Process.Start(start) ?? throw new InvalidOperationException("Could not start dotnet publish.");
            Task<string> stdout = publish.StandardOutput.ReadToEndAsync();
            Task<string> stderr = publish.StandardError.ReadToEndAsync();
            using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(10));
            try
            {
                await publish.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                publish.Kill(entireProcessTree: true);
                throw;
            }

            string node = Path.Combine(output, project);
            if (publish.ExitCode == 0 && File.Exists(node))
            {
                Console.WriteLine($"Published in {Stopwatch.GetElapsedTime(started).TotalSeconds:F0} s: {Path.GetRelativePath(root, node)}");
                return node;
            }

            string said = (await stdout + await stderr).Trim();
            notes.Add($"{what} with Native AOT not measured: dotnet publish exited with {publish.ExitCode}: {said[Math.Max(0, said.Length - 600)..]}");
        }
        catch (Exception ex) when (ex is InvalidOperationException or OperationCanceledException or System.ComponentModel.Win32Exception)
        {
            notes.Add($"{what} with Native AOT not measured: {ex.Message}");
        }

        return null;
    }
}
