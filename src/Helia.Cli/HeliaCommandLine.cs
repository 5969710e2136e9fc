using System.CommandLine;
using System.CommandLine.Parsing;
using Helia.Cli.Commands;

namespace Helia.Cli;

/// <summary>
/// The command tree, as Kubo's `ipfs`: each command lives in Commands/ as a static `Create()` returning its
/// System.CommandLine command, so commands are added without touching each other.
/// </summary>
public static class HeliaCommandLine
{
    /// <summary>--repo DIR, as Kubo's --repo-dir; HELIA_PATH is the fallback, then ~/.helia.</summary>
    public static readonly Option<DirectoryInfo?> RepoOption = new("--repo")
    {
        Description = "Path to the repository (default: $HELIA_PATH or ~/.helia).",
        Recursive = true,
    };

    /// <param name="streams">stdin/stdout as bytes for the commands that need them; the console's by default.</param>
    public static RootCommand CreateRootCommand(CliStreams? streams = null)
    {
        streams ??= CliStreams.Console;
        var root = new RootCommand("helia: an IPFS node in .NET, interoperable with Helia and Kubo.")
        {
            RepoOption,
            VersionCommand.Create(),
            InitCommand.Create(),
            DaemonCommand.Create(),
            IdCommand.Create(),
            ShutdownCommand.Create(),
            AddCommand.Create(streams),
            CatCommand.Create(),
            GetCommand.Create(),
            LsCommand.Create(),
            BlockCommand.Create(),
            DagCommand.Create(streams),
            PinCommand.Create(),
            RepoCommand.Create(),
            ConfigCommand.Create(),
            BitswapCommand.Create(),
            SwarmCommand.Create(),
            PingCommand.Create(),
            DemoCommand.Create(),
            DemoNodeCommand.Create(),
            CidCommand.Create(streams),
            MultibaseCommand.Create(streams),
        };
        return root;
    }

    /// <summary>Parses and runs a command line; user errors print a message and return a non-zero exit code.</summary>
    public static Task<int> InvokeAsync(string[] args, TextWriter output, TextWriter error, CancellationToken cancellationToken = default) =>
        InvokeAsync(args, output, error, CliStreams.Console, cancellationToken);

    /// <inheritdoc cref="InvokeAsync(string[], TextWriter, TextWriter, CancellationToken)"/>
    public static async Task<int> InvokeAsync(string[] args, TextWriter output, TextWriter error, CliStreams streams, CancellationToken cancellationToken = default)
    {
        ParseResult parseResult = CreateRootCommand(streams).Parse(args, new ParserConfiguration());
        if (FindUnknownOption(parseResult) is { } unknown)
        {
            await error.WriteLineAsync($"Error: unknown option \"{unknown}\"");
            return 1;
        }

        var configuration = new InvocationConfiguration { Output = output, Error = error };
        return await parseResult.InvokeAsync(configuration, cancellationToken);
    }

    /// <summary>
    /// A token that looks like an option but matched none, as Kubo's parser refuses it ("unknown option"): either left
    /// unmatched, or taken as a positional argument (System.CommandLine reads "--bogus" as a value of a list argument).
    /// A lone "-" (standard input) and anything after "--" are arguments. Returns the name without its dashes.
    /// </summary>
    internal static string? FindUnknownOption(ParseResult parseResult)
    {
        int end = parseResult.Tokens.Count;
        for (int i = 0; i < parseResult.Tokens.Count; i++)
        {
            if (parseResult.Tokens[i].Type == TokenType.DoubleDash)
            {
                end = i;
                break;
            }
        }

        var beforeDoubleDash = new HashSet<Token>(ReferenceEqualityComparer.Instance);
        for (int i = 0; i < end; i++)
        {
            beforeDoubleDash.Add(parseResult.Tokens[i]);
        }

        foreach (string token in parseResult.UnmatchedTokens)
        {
            if (LooksLikeOption(token))
            {
                return OptionName(token);
            }
        }

        for (SymbolResult? command = parseResult.CommandResult; command is not null; command = command.Parent)
        {
            foreach (SymbolResult child in ((CommandResult)command).Children)
            {
                if (child is ArgumentResult argument)
                {
                    foreach (Token token in argument.Tokens)
                    {
                        if (beforeDoubleDash.Contains(token) && LooksLikeOption(token.Value))
                        {
                            return OptionName(token.Value);
                        }
                    }
                }
            }
        }

        return null;
    }

    private static bool LooksLikeOption(string token) => token.Length > 1 && token[0] == '-';

    private static string OptionName(string token)
    {
        string name = token.TrimStart('-');
        int equals = name.IndexOf('=', StringComparison.Ordinal);
        return equals >= 0 ? name[..equals] : name;
    }
}
