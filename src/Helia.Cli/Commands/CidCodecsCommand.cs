using System.CommandLine;
using System.Globalization;
using Helia.Core.Ipld;
using Helia.Multiformats;

namespace Helia.Cli.Commands;

/// <summary>`helia cid codecs [-n] [-s]`, as `ipfs cid codecs`: the multicodec table's IPLD codecs, by code.</summary>
internal static class CidCodecsCommand
{
    public static Command Create()
    {
        var numeric = new Option<bool>("--numeric", "-n") { Description = "Also include numeric codes." };
        var supported = new Option<bool>("--supported", "-s") { Description = "List only codecs helia can decode (and libp2p-key)." };
        var command = new Command("codecs", "List available CID multicodecs.") { numeric, supported };
        command.SetAction(parseResult =>
        {
            BlockCodecs codecs = BlockCodecs.CreateDefault();
            bool onlySupported = parseResult.GetValue(supported);
            IEnumerable<MulticodecInfo> rows = MulticodecTable.All
                .Where(row => row.Tag == "ipld")
                .Where(row => !onlySupported || row.Code == Multicodec.Libp2pKey || codecs.TryGet((ulong)row.Code, out _))
                .OrderBy(row => row.Code);
            Print(parseResult, numeric, rows.Select(row => ((ulong)row.Code, row.Name)));
        });
        return command;
    }

    /// <summary>One name per line, or "%5d  name" with --numeric (shared with `cid hashes`).</summary>
    internal static void Print(ParseResult parseResult, Option<bool> numeric, IEnumerable<(ulong Code, string Name)> rows)
    {
        bool withNumber = parseResult.GetValue(numeric);
        TextWriter output = parseResult.InvocationConfiguration.Output;
        foreach ((ulong code, string name) in rows)
        {
            output.WriteLine(withNumber ? string.Create(CultureInfo.InvariantCulture, $"{code,5}  {name}") : name);
        }
    }
}
