using System.CommandLine;
using Helia.Multiformats;

namespace Helia.Cli.Commands;

/// <summary>`helia cid base32 CID...`, as `ipfs cid base32`: each CID as a CIDv1 in base32.</summary>
internal static class CidBase32Command
{
    public static Command Create(CliStreams streams)
    {
        var cids = new Argument<string[]>("cid") { Description = "CIDs to convert (default: one per line from stdin).", Arity = ArgumentArity.ZeroOrMore };
        var command = new Command("base32", "Convert CIDs to Base32 CID version 1.") { cids };
        command.SetAction((parseResult, cancellationToken) => CliErrors.RunAsync(parseResult, () =>
            CidFormatCommand.EmitAsync(parseResult, parseResult.GetValue(cids) ?? [], streams, "%s", 1, null, MultibaseEncoding.Base32, cancellationToken)));
        return command;
    }
}
