using System.CommandLine;
using System.Globalization;
using Helia.Multiformats;

namespace Helia.Cli.Commands;

/// <summary>`helia cid bases [--prefix] [--numeric]`, as `ipfs cid bases`: the multibase encodings we support.</summary>
internal static class CidBasesCommand
{
    public static Command Create()
    {
        var prefix = new Option<bool>("--prefix") { Description = "Also include the single letter prefixes." };
        var numeric = new Option<bool>("--numeric") { Description = "Also include numeric codes." };
        var command = new Command("bases", "List available multibase encodings.") { prefix, numeric };
        command.SetAction(parseResult =>
        {
            bool withPrefix = parseResult.GetValue(prefix);
            bool withNumber = parseResult.GetValue(numeric);
            TextWriter output = parseResult.InvocationConfiguration.Output;

            // Kubo's order: by prefix ignoring case, lower case first.
            foreach (MultibaseEncoding encoding in Multibase.All
                .OrderBy(e => char.ToLowerInvariant(Multibase.PrefixOf(e)))
                .ThenByDescending(Multibase.PrefixOf))
            {
                char code = Multibase.PrefixOf(encoding);
                char shown = code is < ' ' or >= (char)127 ? ' ' : code;
                string name = Multibase.NameOf(encoding);
                output.WriteLine((withPrefix, withNumber) switch
                {
                    (true, true) => string.Create(CultureInfo.InvariantCulture, $"{shown} {(int)code,7}  {name}"),
                    (true, false) => $"{shown}  {name}",
                    (false, true) => string.Create(CultureInfo.InvariantCulture, $"{(int)code,7}  {name}"),
                    _ => name,
                });
            }
        });
        return command;
    }
}
