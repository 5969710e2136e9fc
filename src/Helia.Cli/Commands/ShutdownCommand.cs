using System.CommandLine;

namespace Helia.Cli.Commands;

/// <summary>`helia shutdown`: stops the running daemon.</summary>
internal static class ShutdownCommand
{
    public static Command Create()
    {
        var command = new Command("shutdown", "Shut down the running daemon.");
        CliAction.Set(command, (parseResult, context) => CliAction.WithSessionAsync(context, requiresDaemon: true, async client =>
        {
            using HttpResponseMessage response = await client.PostAsync("shutdown", [], [], null, context.CancellationToken);
            return 0;
        }));
        return command;
    }
}
