namespace Helia.Cli.Http.Rpc;

/// <summary>Kubo's error body: <c>{"Message":"..","Code":0,"Type":"error"}</c>.</summary>
public sealed record RpcError(string Message, int Code, string Type = "error");
