using System.Diagnostics;
using Helia.Tests.Blocks;

namespace Helia.Tests.Cli;

/// <summary>
/// Issue 8: `dotnet pack` of Helia.Cli produces the tool package, and `dotnet tool install` from that folder (the only
/// package source, so no network is needed) gives a working `helia`. Packs the already-built binaries (--no-build), so it costs seconds, not a build.
/// </summary>
public sealed class ToolPackageTests : IDisposable
{
#if DEBUG
    private const string Configuration = "Debug";
#else
    private const string Configuration = "Release";
#endif
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(120);
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Pack_ThenToolInstallFromFolder_InstallsWorkingHelia()
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        string project = Path.Combine(FindRepositoryRoot(), "src", "Helia.Cli", "Helia.Cli.csproj");
        string packages = _dir.Combine("packages");
        string tools = _dir.Combine("tools");

        await RunAsync("pack", [project, "-c", Configuration, "--no-build", "-o", packages], ct);
        // Only the local folder as a source: the tests may run without a network (scripts/test.sh's namespace).
        string config = _dir.Combine("nuget.config");
        await File.WriteAllTextAsync(config, $"""<?xml version="1.0" encoding="utf-8"?><configuration><packageSources><clear /><add key="local" value="{packages}" /></packageSources></configuration>""", ct);
        await RunAsync("tool", ["install", "--tool-path", tools, "--configfile", config, "Helia.Cli"], ct);
        string version = await RunAsync(Path.Combine(tools, "helia"), ["version"], ct);

        Assert.Single(Directory.GetFiles(packages, "Helia.Cli.*.nupkg"));
        Assert.StartsWith("helia version ", version, StringComparison.Ordinal);
    }

    private static async Task<string> RunAsync(string program, string[] args, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(program.Contains('/', StringComparison.Ordinal) ? program : "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (!program.Contains('/', StringComparison.Ordinal))
        {
            start.ArgumentList.Add(program);
        }

        foreach (string argument in args)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        using Process process = Process.Start(start)!;
        try
        {
            Task<string> output = process.StandardOutput.ReadToEndAsync(cancellationToken);
            Task<string> error = process.StandardError.ReadToEndAsync(cancellationToken);
            await process.WaitForExitAsync(cancellationToken).WaitAsync(s_timeout, cancellationToken);
            Assert.True(process.ExitCode == 0, $"{program} {string.Join(' ', args)} exited {process.ExitCode}:\n{await output}\n{await error}");
            return await output;
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
    }

    private static string FindRepositoryRoot()
    {
        for (DirectoryInfo? directory = new(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Helia.slnx")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"No Helia.slnx above {AppContext.BaseDirectory}.");
    }
}
