using System.CommandLine;
using Helia.Multiformats;

namespace Helia.Cli.Commands;

/// <summary>`helia cid hashes [-n]`, as `ipfs cid hashes`: the hash functions we can compute and verify, by code.</summary>
internal static class CidHashesCommand
{
    public static Command Create()
    {
        var numeric = new Option<bool>("--numeric", "-n") { Description = "Also include numeric codes." };
        var supported = new Option<bool>("--supported", "-s") { Description = "Accepted for Kubo compatibility: every listed hash is supported." };
        var command = new Command("hashes", "List available multihashes.") { numeric, supported };
        command.SetAction(parseResult =>
            CidCodecsCommand.Print(parseResult, numeric, MultihashHashers.All.Select(h => (h.Code, h.Name))));
        return command;
    }
}
