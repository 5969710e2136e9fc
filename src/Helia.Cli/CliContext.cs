
namespace Helia.Cli;

/// <summary>What every command body gets: the repo, its output writers and the cancellation (Ctrl+C, SIGTERM).</summary>
internal sealed record CliContext(CliRepo Repo, TextWriter Output, TextWriter Error, CancellationToken CancellationToken);
