using System.CommandLine;

namespace Helia.Cli.Commands;

/// <summary>`helia multibase`: Kubo's `ipfs multibase` group (encode, decode).</summary>
internal static class MultibaseCommand
{
    public static Command Create(CliStreams streams) => new("multibase", "Encode and decode files with multibase format.")
    {
        MultibaseEncodeCommand.Create(streams),
        MultibaseDecodeCommand.Create(streams),
    };

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
