using Helia.Multiformats;

namespace Helia.Bitswap;

/// <summary>What <c>helia bitswap stat</c> prints (Kubo's <c>ipfs bitswap stat</c>).</summary>
public sealed record BitswapStat(
    IReadOnlyList<Cid> Wantlist,
    IReadOnlyList<PeerId> Peers,
    long BlocksReceived,
    long DataReceived,
    long DuplicateBlocksReceived,
    long DuplicateDataReceived,
    long BlocksSent,
    long DataSent,
    long MessagesReceived,
    long UnwantedBlocksReceived);
