using System.Diagnostics;
using System.Threading.Channels;

namespace Helia.Cli.Demo;

/// <summary>
/// A demo node running as a child process of `helia demo` (the hidden `helia demo-node` command): its events arrive
/// on a channel as it prints them; disposing it closes its standard input (its signal to stop) and kills it if needed.
/// </summary>
internal sealed class DemoNodeProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly Channel<DemoEvent> _events = Channel.CreateUnbounded<DemoEvent>();
    private readonly Task _readLoop;

    private DemoNodeProcess(Process process)
    {
        _process = process;
        _readLoop = ReadEventsAsync();
    }

    public int ProcessId => _process.Id;

    /// <summary>Starts this same program with <paramref name="arguments"/>.</summary>
    public static DemoNodeProcess Start(IEnumerable<string> arguments)
    {
        var start = new ProcessStartInfo
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = false,
            UseShellExecute = false,
        };

        // Run as we were run: the apphost directly, or `dotnet helia.dll` when started through the dotnet host.
        string self = Environment.ProcessPath ?? throw new InvalidOperationException("The path of this program is unknown.");
        start.FileName = self;
        if (Path.GetFileNameWithoutExtension(self) == "dotnet")
        {
            start.ArgumentList.Add(typeof(DemoNodeProcess).Assembly.Location);
        }

        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        Process process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {self}.");
        return new DemoNodeProcess(process);
    }

    /// <summary>Waits for the next event named <paramref name="name"/>; a `failed` event or the process's exit throws.</summary>
    public async Task<DemoEvent> WaitForAsync(string name, CancellationToken cancellationToken)
    {
        while (await _events.Reader.WaitToReadAsync(cancellationToken))
        {
            while (_events.Reader.TryRead(out DemoEvent? demoEvent))
            {
                if (demoEvent.Event == DemoEvent.Failed)
                {
                    throw new DemoFailedException($"The demo node (pid {ProcessId}) failed: {demoEvent.Text}");
                }

                if (demoEvent.Event == name)
                {
                    return demoEvent;
                }
            }
        }

        throw new DemoFailedException($"The demo node (pid {ProcessId}) exited before it reported '{name}'.");
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            _process.StandardInput.Close();   // the node's signal to stop
            using var exited = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await _process.WaitForExitAsync(exited.Token);
        }
        catch (Exception ex) when (ex is OperationCanceledException or InvalidOperationException or IOException)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync(CancellationToken.None);
        }

        await _readLoop;
        _process.Dispose();
    }

    private async Task ReadEventsAsync()
    {
        try
        {
            while (await _process.StandardOutput.ReadLineAsync() is { } line)
            {
                if (DemoEvent.TryParse(line) is { } demoEvent)
                {
                    _events.Writer.TryWrite(demoEvent);
                }
            }
        }
        finally
        {
            _events.Writer.TryComplete();
        }
    }
}
