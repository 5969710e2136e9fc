namespace Helia.Cli.Http.Rpc;

/// <summary>Bitswap counters as Kubo's bitswap stat names them (the want list and peers are added by the endpoint).</summary>
public sealed record RpcBitswapStat(
    ulong BlocksReceived,
    ulong BlocksSent,
    ulong DataReceived,
    ulong DataSent,
    ulong DupBlksReceived,
    ulong DupDataReceived,
    ulong MessagesReceived,
    IReadOnlyList<string> Peers,
    IReadOnlyList<Helia.Multiformats.Cid> Wantlist);
