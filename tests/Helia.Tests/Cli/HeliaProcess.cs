using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;

namespace Helia.Tests.Cli;

/// <summary>
/// The built `helia` program (Helia.Cli.dll under `dotnet`) as a user runs it: one-shot commands with their exit code,
/// stdout bytes and stderr, and long-running daemons that are ready once they print "Daemon is ready".
/// Every process is killed (with its children) if it outlives its time. Helia.Interop.Tests compiles this file too.
/// </summary>
internal sealed partial class HeliaProcess : IAsyncDisposable
{
    private static readonly TimeSpan s_stopTimeout = TimeSpan.FromSeconds(15);

    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly StringBuilder _error = new();
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private HeliaProcess(Process process)
    {
        _process = process;
    }

    public static string HeliaDll { get; } = typeof(Helia.Cli.HeliaCommandLine).Assembly.Location;

    /// <summary>The swarm addresses the daemon printed ("Swarm listening on …").</summary>
    public IReadOnlyList<string> SwarmAddresses => [.. SwarmLine().Matches(Output).Select(m => m.Groups[1].Value)];

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public string Error
    {
        get
        {
            lock (_error)
            {
                return _error.ToString();
            }
        }
    }

    public static async Task<(int ExitCode, byte[] Stdout, string Stderr)> RunAsync(TimeSpan timeout, CancellationToken cancellationToken, params string[] args)
    {
        using Process process = Process.Start(CreateStartInfo(args))!;
        try
        {
            using var stdout = new MemoryStream();
            Task copy = process.StandardOutput.BaseStream.CopyToAsync(stdout, cancellationToken);
            Task<string> stderr = process.StandardError.ReadToEndAsync(cancellationToken);
            await Task.WhenAll(copy, stderr, process.WaitForExitAsync(cancellationToken)).WaitAsync(timeout, cancellationToken);
            return (process.ExitCode, stdout.ToArray(), await stderr);
        }
        finally
        {
            Kill(process);
        }
    }

    public static async Task<string> RunOkAsync(TimeSpan timeout, CancellationToken cancellationToken, params string[] args)
    {
        (int exitCode, byte[] stdout, string stderr) = await RunAsync(timeout, cancellationToken, args);
        string output = Encoding.UTF8.GetString(stdout);
        Assert.True(exitCode == 0, $"helia {string.Join(' ', args)} exited {exitCode}:\n{output}\n{stderr}");
        return output;
    }

    /// <summary>`helia init --profile test` then a daemon on 127.0.0.1 with port 0 for swarm and API, without mDNS.</summary>
    public static async Task<HeliaProcess> InitAndStartLoopbackDaemonAsync(string repo, TimeSpan timeout, CancellationToken cancellationToken)
    {
        await RunOkAsync(timeout, cancellationToken, "init", "--profile", "test", "--repo", repo);
        return await StartDaemonAsync(timeout, cancellationToken, "--listen", "/ip4/127.0.0.1/tcp/0", "--api", "/ip4/127.0.0.1/tcp/0", "--no-mdns", "--repo", repo);
    }

    /// <summary>Starts `helia daemon` with the given arguments and waits until it is ready.</summary>
    public static async Task<HeliaProcess> StartDaemonAsync(TimeSpan timeout, CancellationToken cancellationToken, params string[] args)
    {
        var daemon = new HeliaProcess(new Process { StartInfo = CreateStartInfo(["daemon", .. args]), EnableRaisingEvents = true });
        daemon._process.OutputDataReceived += (_, e) => daemon.OnOutput(e.Data);
        daemon._process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                lock (daemon._error)
                {
                    daemon._error.AppendLine(e.Data);
                }
            }
        };
        daemon._process.Exited += (_, _) => daemon._ready.TrySetException(new InvalidOperationException("the daemon exited before it was ready"));
        daemon._process.Start();
        daemon._process.BeginOutputReadLine();
        daemon._process.BeginErrorReadLine();
        try
        {
            await daemon._ready.Task.WaitAsync(timeout, cancellationToken);
            return daemon;
        }
        catch (Exception ex)
        {
            await daemon.DisposeAsync();
            throw new InvalidOperationException($"helia daemon did not start ({ex.Message}):\n{daemon.Output}\n{daemon.Error}", ex);
        }
    }

    /// <summary>Waits for the daemon to exit (after `helia shutdown`) and returns its exit code.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        await _process.WaitForExitAsync(cancellationToken).WaitAsync(timeout, cancellationToken);
        return _process.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        Kill(_process);
        try
        {
            await _process.WaitForExitAsync().WaitAsync(s_stopTimeout);
        }
        catch (TimeoutException)
        {
        }

        _process.Dispose();
    }

    private void OnOutput(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }

        if (line == "Daemon is ready")
        {
            _ready.TrySetResult();
        }
    }

    private static ProcessStartInfo CreateStartInfo(string[] args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(HeliaDll);
        foreach (string argument in args)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment.Remove("HELIA_PATH");
        return start;
    }

    private static void Kill(Process process)
    {
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
        catch (InvalidOperationException)
        {
        }
    }

    [GeneratedRegex(@"^Swarm listening on (\S+)$", RegexOptions.Multiline)]
    private static partial Regex SwarmLine();
}
