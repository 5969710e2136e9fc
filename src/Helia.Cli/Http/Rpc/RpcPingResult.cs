namespace Helia.Cli.Http.Rpc;

/// <summary>One line of Kubo's ping output: a pong (Success, Time in nanoseconds) or a message (Text).</summary>
public sealed record RpcPingResult(bool Success, long Time, string Text);
