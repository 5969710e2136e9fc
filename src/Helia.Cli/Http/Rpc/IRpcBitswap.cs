using Helia.Multiformats;

namespace Helia.Cli.Http.Rpc;

/// <summary>Bitswap diagnostics.</summary>
public interface IRpcBitswap
{
    RpcBitswapStat GetStat();

    /// <summary>Our wants, or the given peer's wants of us.</summary>
    IReadOnlyList<Cid> GetWantlist(PeerId? peer);
}
