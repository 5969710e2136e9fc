using Helia.Multiformats;

namespace Helia.Core.Blocks;

/// <summary>
/// The local store plus block brokers (Helia's <c>Blocks</c>, boxo's blockservice): local first, then the brokers,
/// then store the verified block and announce it.
/// </summary>
public interface INetworkedBlockstore : IBlockstore
{
    ValueTask<ReadOnlyMemory<byte>> GetAsync(Cid cid, BlockGetOptions options, CancellationToken cancellationToken = default);

    /// <summary>A store whose fetches go only to the peers that had <paramref name="root"/> (each broker's session).</summary>
    IBlockstore CreateSession(Cid root, SessionOptions? options = null);
}
