using Helia.Cli.Http.Rpc;

namespace Helia.Tests.Rpc;

internal sealed class FakeRpcNode(RpcIdentity identity) : IRpcNode
{
    public RpcIdentity GetIdentity() => identity;
}
