namespace Helia.Cli.Http.Rpc;

/// <summary>One ls entry with Kubo's field names; Type is 1 for a directory, 2 for a file (unixfs_pb DataType).</summary>
public sealed record RpcLsLink(string Name, string Hash, ulong Size, int Type, string Target = "");
