namespace Helia.Cli.Demo;

/// <summary>A demo step did not happen: the message says which and why.</summary>
internal sealed class DemoFailedException(string message) : Exception(message);
