using System.CommandLine;
using Helia.Multiformats;

namespace Helia.Cli.Commands;

/// <summary>`helia multibase`: Kubo's `ipfs multibase` group (encode, decode, transcode, list).</summary>
internal static class MultibaseCommand
{
    public static Command Create(CliStreams streams) => new("multibase", "Encode and decode files with multibase format.")
    {
        MultibaseEncodeCommand.Create(streams),
        MultibaseDecodeCommand.Create(streams),
        MultibaseTranscodeCommand.Create(streams),
        CidBasesCommand.Create("list"),
    };

    /// <summary>Kubo's -b option of encode and transcode: a base name or prefix, base64url by default.</summary>
    internal static Option<string> CreateBaseOption() =>
        new("-b") { Description = "Multibase encoding (e.g. base32, base64url).", DefaultValueFactory = _ => "base64url" };

    internal static MultibaseEncoding ParseBase(ParseResult parseResult, Option<string> option)
    {
        string name = parseResult.GetValue(option) ?? "base64url";
        return Multibase.TryParseName(name, out MultibaseEncoding encoding)
            ? encoding
            : throw new CliUsageException($"unknown multibase: \"{name}\"");
    }

    /// <summary>
    /// Multibase text as the bytes Kubo writes: identity text is one character per byte, so it goes out as those bytes;
    /// every other base is UTF-8 (ASCII but base256emoji).
    /// </summary>
    internal static byte[] ToOutputBytes(MultibaseEncoding encoding, string text) =>
        encoding == MultibaseEncoding.Identity ? System.Text.Encoding.Latin1.GetBytes(text) : System.Text.Encoding.UTF8.GetBytes(text);

    /// <summary>Multibase text read from a file or stdin: identity text as Latin-1 bytes, other text as UTF-8 less a final line break.</summary>
    internal static string FromInputBytes(byte[] input)
    {
        if (input.Length > 0 && input[0] == 0)
        {
            return System.Text.Encoding.Latin1.GetString(input);
        }

        return System.Text.Encoding.UTF8.GetString(input).TrimEnd('\r', '\n');
    }

    /// <summary>The file argument's bytes, or stdin's when no file is given.</summary>
    internal static async Task<byte[]> ReadInputAsync(FileInfo? file, CliStreams streams, CancellationToken cancellationToken)
    {
        if (file is not null)
        {
            return await File.ReadAllBytesAsync(file.FullName, cancellationToken);
        }

        using var buffer = new MemoryStream();
        using (Stream input = streams.OpenInput())
        {
            await input.CopyToAsync(buffer, cancellationToken);
        }

        return buffer.ToArray();
    }
}
