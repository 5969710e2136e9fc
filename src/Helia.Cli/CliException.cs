namespace Helia.Cli;

/// <summary>A user error: printed as "Error: message" with exit code 1, never with a stack trace.</summary>
public sealed class CliException(string message) : Exception(message);
