using System.CommandLine;
using System.Reflection;

namespace Helia.Cli.Commands;

/// <summary>`helia version`: prints "helia version X", as `ipfs version` prints "ipfs version X".</summary>
internal static class VersionCommand
{
    public static string Version { get; } =
        typeof(VersionCommand).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0.0";

    public static Command Create()
    {
        var number = new Option<bool>("--number", "-n") { Description = "Only show the version number." };
        var command = new Command("version", "Show the helia version.") { number };
        command.SetAction(parseResult =>
        {
            TextWriter output = parseResult.InvocationConfiguration.Output;
            output.WriteLine(parseResult.GetValue(number) ? Version : $"helia version {Version}");
        });
        return command;
    }
}
