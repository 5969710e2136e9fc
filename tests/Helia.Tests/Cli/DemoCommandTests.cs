using System.Diagnostics;
using Helia.Cli.Commands;

namespace Helia.Tests.Cli;

/// <summary>
/// Runs `helia demo` as a user would: the built program, two child nodes, mDNS discovery, a Bitswap fetch.
/// mDNS multicasts, so this runs only inside a loopback-only network namespace (scripts/test.sh makes one as root).
/// </summary>
public class DemoCommandTests
{
    private const string HelloWorldCid = "bafkreiffsgtnic7uebaeuaixgph3pmmq2ywglpylzwrswv5so7m23hyuny";

    [Fact]
    public async Task Demo_TwoProcesses_FindEachOtherAndExchangeHelloWorld()
    {
        await PrivateNetwork.SkipUnlessContainedAsync(TestContext.Current.CancellationToken);
        string heliaDll = typeof(DemoCommand).Assembly.Location;
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string argument in new[] { heliaDll, "demo", "--timeout", "20" })
        {
            start.ArgumentList.Add(argument);
        }

        using Process process = Process.Start(start)!;
        Task<string> output = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        Task<string> error = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        try
        {
            await process.WaitForExitAsync(TestContext.Current.CancellationToken).WaitAsync(TimeSpan.FromSeconds(60), TestContext.Current.CancellationToken);
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }

        string printed = await output;
        Assert.True(process.ExitCode == 0, $"helia demo exited with {process.ExitCode}.\n{printed}\n{await error}");
        Assert.Contains($"CID: {HelloWorldCid}", printed, StringComparison.Ordinal);
        Assert.Contains("discovered the store node by mDNS", printed, StringComparison.Ordinal);
        Assert.Contains("returned \"Hello World\"", printed, StringComparison.Ordinal);
    }
}
