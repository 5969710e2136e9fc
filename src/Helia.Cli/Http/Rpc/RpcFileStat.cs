namespace Helia.Cli.Http.Rpc;

/// <summary>
/// files/stat's answer with Kubo's field names: Size is the file's bytes (0 for a directory), CumulativeSize the DAG's,
/// Blocks the node's link count, Type "file", "directory" or "symlink".
/// </summary>
public sealed record RpcFileStat(string Hash, ulong Size, ulong CumulativeSize, int Blocks, string Type);
