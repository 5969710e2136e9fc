using Helia.Cli.Http.Rpc;
using Helia.Multiformats;

namespace Helia.Tests.Rpc;

internal sealed class FakeRpcBitswap(Cid wanted) : IRpcBitswap
{
    public RpcBitswapStat GetStat() => new(5, 4, 500, 400, 1, 100, 9, [], [wanted]);

    public IReadOnlyList<Cid> GetWantlist(PeerId? peer) => [wanted];
}
