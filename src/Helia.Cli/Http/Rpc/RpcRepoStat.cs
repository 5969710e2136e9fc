namespace Helia.Cli.Http.Rpc;

/// <summary>Kubo's repo stat output.</summary>
public sealed record RpcRepoStat(ulong RepoSize, ulong StorageMax, ulong NumObjects, string RepoPath, string Version);
