namespace Helia.Cli.Http.Rpc;

/// <summary>What /api/v0/id reports about this node.</summary>
public interface IRpcNode
{
    RpcIdentity GetIdentity();
}
