using System.CommandLine;
using System.Text;
using Helia.Multiformats;

namespace Helia.Cli.Commands;

/// <summary>
/// `helia multibase encode [-b BASE] [FILE]`, as `ipfs multibase encode`: the file (or stdin) as one multibase string
/// on stdout, without a trailing newline. The default base is identity (a NUL prefix, then the bytes), as in Kubo.
/// </summary>
internal static class MultibaseEncodeCommand
{
    public static Command Create(CliStreams streams)
    {
        var multibase = new Option<string>("-b") { Description = "Multibase encoding (e.g. base32, base64url).", DefaultValueFactory = _ => "identity" };
        var file = new Argument<FileInfo?>("file") { Description = "Data to encode (default: stdin).", Arity = ArgumentArity.ZeroOrOne };
        var command = new Command("encode", "Encode file or stdin into multibase string.") { multibase, file };
        command.SetAction((parseResult, cancellationToken) => CliErrors.RunAsync(parseResult, async () =>
        {
            string name = parseResult.GetValue(multibase) ?? "identity";
            if (!Multibase.TryParseName(name, out MultibaseEncoding encoding))
            {
                throw new CliUsageException($"unknown multibase: \"{name}\"");
            }

            byte[] data = await MultibaseCommand.ReadInputAsync(parseResult.GetValue(file), streams, cancellationToken);

            // Identity text is one character per byte, so it goes out as those bytes; the other bases are ASCII.
            byte[] encoded = Encoding.Latin1.GetBytes(Multibase.Encode(encoding, data));
            await WriteAsync(parseResult, streams, encoded, cancellationToken);
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
