using System.CommandLine;
using Helia.Multiformats;

namespace Helia.Cli.Commands;

/// <summary>
/// `helia multibase encode [-b BASE] [FILE]`, as `ipfs multibase encode`: the file (or stdin) as one multibase string
/// on stdout, without a trailing newline. The default base is base64url, as in Kubo.
/// </summary>
internal static class MultibaseEncodeCommand
{
    public static Command Create(CliStreams streams)
    {
        Option<string> multibase = MultibaseCommand.CreateBaseOption();
        var file = new Argument<FileInfo?>("file") { Description = "Data to encode (default: stdin).", Arity = ArgumentArity.ZeroOrOne };
        var command = new Command("encode", "Encode file or stdin into multibase string.") { multibase, file };
        command.SetAction((parseResult, cancellationToken) => CliErrors.RunAsync(parseResult, async () =>
        {
            MultibaseEncoding encoding = MultibaseCommand.ParseBase(parseResult, multibase);
            byte[] data = await MultibaseCommand.ReadInputAsync(parseResult.GetValue(file), streams, cancellationToken);
            await WriteAsync(parseResult, streams, MultibaseCommand.ToOutputBytes(encoding, Multibase.Encode(encoding, data)), cancellationToken);
            return 0;
        }));
        return command;
    }

    /// <summary>Writes raw bytes to stdout after anything already written as text.</summary>
    internal static async Task WriteAsync(ParseResult parseResult, CliStreams streams, byte[] bytes, CancellationToken cancellationToken)
    {
        await parseResult.InvocationConfiguration.Output.FlushAsync(cancellationToken);
        Stream output = streams.OpenOutput();
        await output.WriteAsync(bytes, cancellationToken);
        await output.FlushAsync(cancellationToken);
    }
}
