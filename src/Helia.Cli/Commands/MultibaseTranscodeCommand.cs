using System.CommandLine;
using Helia.Multiformats;

namespace Helia.Cli.Commands;

/// <summary>
/// `helia multibase transcode [-b BASE] [FILE]`, as `ipfs multibase transcode`: a multibase string from the file (or
/// stdin) re-encoded in another base (base64url by default), without a trailing newline.
/// </summary>
internal static class MultibaseTranscodeCommand
{
    public static Command Create(CliStreams streams)
    {
        Option<string> multibase = MultibaseCommand.CreateBaseOption();
        var file = new Argument<FileInfo?>("encoded_file") { Description = "Encoded data to decode (default: stdin).", Arity = ArgumentArity.ZeroOrOne };
        var command = new Command("transcode", "Transcode multibase string between bases.") { multibase, file };
        command.SetAction((parseResult, cancellationToken) => CliErrors.RunAsync(parseResult, async () =>
        {
            MultibaseEncoding encoding = MultibaseCommand.ParseBase(parseResult, multibase);
            byte[] input = await MultibaseCommand.ReadInputAsync(parseResult.GetValue(file), streams, cancellationToken);
            byte[] decoded = Multibase.Decode(MultibaseCommand.FromInputBytes(input));
            await MultibaseEncodeCommand.WriteAsync(parseResult, streams, MultibaseCommand.ToOutputBytes(encoding, Multibase.Encode(encoding, decoded)), cancellationToken);
            return 0;
        }));
        return command;
    }
}
