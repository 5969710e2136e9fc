namespace Helia.Cli;

/// <summary>A command line that cannot be carried out (a bad flag value, a missing argument): printed, never thrown out.</summary>
internal sealed class CliUsageException(string message) : Exception(message);
