using System.Diagnostics;
using System.Text.Json;

namespace Helia.Benchmarks.EndToEnd;

/// <summary>A benchmark node in a child process: its first JSON line is its answer; closing its stdin stops it.</summary>
internal sealed class ChildNode : IAsyncDisposable
{
    private readonly Process _process;

    private ChildNode(Process process) => _process = process;

    /// <summary>Starts <paramref name="fileName"/>, with <paramref name="environment"/> added to its environment.</summary>
    public static ChildNode Start(string fileName, IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo(fileName) { RedirectStandardInput = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach ((string name, string value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        return new ChildNode(Process.Start(start) ?? throw new InvalidOperationException($"Could not start {fileName}."));
    }

    /// <summary>Waits for the first JSON line the node prints.</summary>
    public async Task<JsonElement> ReadResultAsync(TimeSpan timeout)
    {
        using var cancellation = new CancellationTokenSource(timeout);
        while (await _process.StandardOutput.ReadLineAsync(cancellation.Token) is { } line)
        {
            if (line.StartsWith('{'))
            {
                return JsonDocument.Parse(line).RootElement.Clone();
            }
        }

        throw new InvalidOperationException($"The benchmark node (pid {_process.Id}) exited with no result.");
    }

    /// <summary>Closes the node's standard input and waits for the JSON line it prints as it stops (its final figures).</summary>
    public async Task<JsonElement> StopAsync(TimeSpan timeout)
    {
        _process.StandardInput.Close();
        return await ReadResultAsync(timeout);
    }

    public async ValueTask DisposeAsync()
    {
        _process.StandardInput.Close();
        using var exited = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        try
        {
            await _process.WaitForExitAsync(exited.Token);
        }
        catch (OperationCanceledException)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync(CancellationToken.None);
        }

        _process.Dispose();
    }
}
