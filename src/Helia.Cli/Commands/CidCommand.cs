using System.CommandLine;

namespace Helia.Cli.Commands;

/// <summary>`helia cid`: Kubo's `ipfs cid` group (format, base32, bases, codecs, hashes).</summary>
internal static class CidCommand
{
    public static Command Create(CliStreams streams) => new("cid", "Convert and discover properties of CIDs.")
    {
        CidFormatCommand.Create(streams),
        CidBase32Command.Create(streams),
        CidBasesCommand.Create(),
        CidCodecsCommand.Create(),
        CidHashesCommand.Create(),
    };
}
