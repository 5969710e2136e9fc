using Helia.Multiformats;

namespace Helia.Cli.Http.Rpc;

/// <summary>An imported file: its root and cumulative DAG size.</summary>
public readonly record struct RpcAdded(Cid Cid, ulong Size);
