using System.CommandLine;
using System.Globalization;
using System.Text;
using Helia.Multiformats;

namespace Helia.Cli.Commands;

/// <summary>
/// `helia cid bases [--prefix] [--numeric]`, as `ipfs cid bases` (and `helia multibase list`, as `ipfs multibase
/// list`): the multibase encodings we support, each prefix's code point as its numeric code.
/// </summary>
internal static class CidBasesCommand
{
    public static Command Create() => Create("bases");

    public static Command Create(string name)
    {
        var prefix = new Option<bool>("--prefix") { Description = "Also include the single letter prefixes." };
        var numeric = new Option<bool>("--numeric") { Description = "Also include numeric codes." };
        var command = new Command(name, "List available multibase encodings.") { prefix, numeric };
        command.SetAction(parseResult =>
        {
            bool withPrefix = parseResult.GetValue(prefix);
            bool withNumber = parseResult.GetValue(numeric);
            TextWriter output = parseResult.InvocationConfiguration.Output;

            // Kubo's order: by prefix ignoring case, lower case first.
            foreach (MultibaseEncoding encoding in Multibase.All
                .OrderBy(e => Rune.ToLowerInvariant(new Rune(Multibase.CodeOf(e))).Value)
                .ThenByDescending(Multibase.CodeOf))
            {
                int code = Multibase.CodeOf(encoding);
                string shown = Rune.IsControl(new Rune(code)) ? " " : Multibase.PrefixOf(encoding);   // Kubo hides the unprintable
                string encodingName = Multibase.NameOf(encoding);
                output.WriteLine((withPrefix, withNumber) switch
                {
                    (true, true) => string.Create(CultureInfo.InvariantCulture, $"{shown} {code,7}  {encodingName}"),
                    (true, false) => $"{shown}  {encodingName}",
                    (false, true) => string.Create(CultureInfo.InvariantCulture, $"{code,7}  {encodingName}"),
                    _ => encodingName,
                });
            }
        });
        return command;
    }
}
