using Helia.Bitswap;
using Helia.Cli.Http.Rpc;
using Helia.Multiformats;

namespace Helia.Cli.Daemon;

/// <summary>bitswap stat and wantlist over the node's Bitswap service.</summary>
internal sealed class NodeBitswap(BitswapService bitswap) : IRpcBitswap
{
    public RpcBitswapStat GetStat()
    {
        BitswapStat stat = bitswap.GetStat();
        return new RpcBitswapStat(
            (ulong)stat.BlocksReceived,
            (ulong)stat.BlocksSent,
            (ulong)stat.DataReceived,
            (ulong)stat.DataSent,
            (ulong)stat.DuplicateBlocksReceived,
            (ulong)stat.DuplicateDataReceived,
            (ulong)stat.MessagesReceived,
            [.. stat.Peers.Select(p => p.ToString())],
            stat.Wantlist);
    }

    public IReadOnlyList<Cid> GetWantlist(PeerId? peer) => peer is { } p ? bitswap.GetWantlist(p) : bitswap.Client.GetWantlist();
}
