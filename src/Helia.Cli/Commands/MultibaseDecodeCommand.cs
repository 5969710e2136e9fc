using System.CommandLine;
using Helia.Multiformats;

namespace Helia.Cli.Commands;

/// <summary>
/// `helia multibase decode [FILE]`, as `ipfs multibase decode`: a multibase string from the file (or stdin), its bytes
/// to stdout. A trailing line break (as `echo` adds) is ignored.
/// </summary>
internal static class MultibaseDecodeCommand
{
    public static Command Create(CliStreams streams)
    {
        var file = new Argument<FileInfo?>("encoded_file") { Description = "Encoded data to decode (default: stdin).", Arity = ArgumentArity.ZeroOrOne };
        var command = new Command("decode", "Decode multibase string to stdout.") { file };
        command.SetAction((parseResult, cancellationToken) => CliErrors.RunAsync(parseResult, async () =>
        {
            byte[] input = await MultibaseCommand.ReadInputAsync(parseResult.GetValue(file), streams, cancellationToken);
            byte[] decoded = Multibase.Decode(MultibaseCommand.FromInputBytes(input));
            await MultibaseEncodeCommand.WriteAsync(parseResult, streams, decoded, cancellationToken);
            return 0;
        }));
        return command;
    }
}
