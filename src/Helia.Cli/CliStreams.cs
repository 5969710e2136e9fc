namespace Helia.Cli;

/// <summary>
/// The standard streams as bytes, for commands that read stdin or write binary output (`helia multibase decode`,
/// CIDs piped to `helia cid format`). The process uses the console's; tests pass memory streams.
/// </summary>
public sealed class CliStreams(Func<Stream> openInput, Func<Stream> openOutput, bool inputRedirected)
{
    /// <summary>The process's standard input and output.</summary>
    public static CliStreams Console { get; } = new(
        System.Console.OpenStandardInput, System.Console.OpenStandardOutput, System.Console.IsInputRedirected);

    /// <summary>False when stdin is a terminal: then commands that may read it do not wait for typing.</summary>
    public bool InputRedirected { get; } = inputRedirected;

    public Stream OpenInput() => openInput();

    public Stream OpenOutput() => openOutput();

    /// <summary>Streams over fixed input bytes and a given output, for tests.</summary>
    public static CliStreams FromMemory(byte[] input, Stream output) =>
        new(() => new MemoryStream(input, writable: false), () => output, inputRedirected: true);
}
