using System.CommandLine;
using System.Text;
using Helia.Multiformats;

namespace Helia.Cli.Commands;

/// <summary>
/// `helia cid format [-f FORMAT] [-v 0|1] [-b BASE] [--mc CODEC] CID...`, as `ipfs cid format`: converts each CID
/// and prints it with the format string. CIDs come from the arguments, else one per line from stdin. A CID that
/// cannot be read or converted prints "CID: reason" on stderr and the command exits 1 after the others.
/// </summary>
internal static class CidFormatCommand
{
    public static Command Create(CliStreams streams)
    {
        var format = new Option<string>("-f") { Description = "Printf style format string.", DefaultValueFactory = _ => "%s" };
        var version = new Option<string?>("-v") { Description = "CID version to convert to (0 or 1)." };
        var codec = new Option<string?>("--mc", "--codec") { Description = "CID multicodec to convert to (e.g. raw, dag-pb)." };
        var multibase = new Option<string?>("-b") { Description = "Multibase to display CID in (e.g. base32, base58btc)." };
        var cids = new Argument<string[]>("cid") { Description = "CIDs to format (default: one per line from stdin).", Arity = ArgumentArity.ZeroOrMore };
        var command = new Command("format", "Format and convert a CID in various useful ways.\n\n" + CidFormatter.Help)
        {
            format, version, codec, multibase, cids,
        };
        command.SetAction((parseResult, cancellationToken) => CliErrors.RunAsync(parseResult, () =>
        {
            string formatText = parseResult.GetValue(format) ?? "%s";
            CidFormatter.Validate(formatText);
            Multicodec? newCodec = null;
            if (parseResult.GetValue(codec) is { } codecName)
            {
                newCodec = MulticodecTable.TryParse(codecName, out Multicodec parsed)
                    ? parsed
                    : throw new CliUsageException($"unknown multicodec: \"{codecName}\"");
            }

            string? baseName = parseResult.GetValue(multibase);
            MultibaseEncoding? encoding = null;
            if (baseName is not null)
            {
                encoding = Multibase.TryParseName(baseName, out MultibaseEncoding parsed)
                    ? parsed
                    : throw new CliUsageException($"unknown multibase: \"{baseName}\"");
            }

            int? toVersion = parseResult.GetValue(version) switch
            {
                null or "" => encoding is null ? null : 1,
                "0" when newCodec is not null and not Multicodec.DagPb =>
                    throw new CliUsageException("cannot convert to CIDv0 with any codec other than dag-pb"),
                "0" when encoding is not null and not MultibaseEncoding.Base58Btc =>
                    throw new CliUsageException("cannot convert to CIDv0 with any multibase other than the implicit base58btc"),
                "0" => 0,
                "1" => 1,
                string other => throw new CliUsageException($"invalid cid version: \"{other}\""),
            };

            return EmitAsync(parseResult, parseResult.GetValue(cids) ?? [], streams, formatText, toVersion, newCodec, encoding, cancellationToken);
        }));
        return command;
    }

    /// <summary>Converts and prints every CID (shared with `cid base32`); returns the exit code.</summary>
    internal static async Task<int> EmitAsync(
        ParseResult parseResult,
        string[] arguments,
        CliStreams streams,
        string format,
        int? toVersion,
        Multicodec? newCodec,
        MultibaseEncoding? encoding,
        CancellationToken cancellationToken)
    {
        TextWriter output = parseResult.InvocationConfiguration.Output;
        TextWriter error = parseResult.InvocationConfiguration.Error;
        int exitCode = 0;
        await foreach (string text in ReadCidsAsync(arguments, streams, cancellationToken))
        {
            try
            {
                Cid cid = Cid.Parse(text);
                if (newCodec is { } codec && (ulong)codec != cid.CodecCode)
                {
                    cid = Cid.CreateV1(codec, cid.Hash);
                }

                cid = toVersion switch
                {
                    0 => cid.CodecCode == (ulong)Multicodec.DagPb
                        ? cid.ToV0()
                        : throw new CliUsageException("can't convert non-dag-pb nodes to cidv0"),
                    1 => cid.ToV1(),
                    _ => cid,
                };

                MultibaseEncoding chosen = encoding ?? (cid.Version == 0 ? MultibaseEncoding.Base58Btc : EncodingOf(text));
                await output.WriteLineAsync(CidFormatter.Format(format, chosen, cid));
            }
            catch (Exception ex) when (ex is MultiformatsException or CliUsageException)
            {
                await error.WriteLineAsync($"{text}: {ex.Message}");
                exitCode = CliErrors.Failure;
            }
        }

        return exitCode;
    }

    private static MultibaseEncoding EncodingOf(string text) =>
        text.Length == 46 && text.StartsWith("Qm", StringComparison.Ordinal)
            ? MultibaseEncoding.Base58Btc
            : Multibase.TryGetEncoding(text, out MultibaseEncoding encoding) ? encoding : MultibaseEncoding.Base32;

    private static async IAsyncEnumerable<string> ReadCidsAsync(
        string[] arguments,
        CliStreams streams,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        if (arguments.Length > 0)
        {
            foreach (string argument in arguments)
            {
                yield return argument;
            }

            yield break;
        }

        if (!streams.InputRedirected)
        {
            throw new CliUsageException("argument \"cid\" is required (or pipe CIDs on stdin, one per line)");
        }

        using var reader = new StreamReader(streams.OpenInput(), Encoding.UTF8);
        while (await reader.ReadLineAsync(cancellationToken) is { } line)
        {
            string trimmed = line.Trim();
            if (trimmed.Length > 0)
            {
                yield return trimmed;
            }
        }
    }
}
