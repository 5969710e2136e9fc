using Helia.Multiformats;

namespace Helia.Core.Blocks;

/// <summary>A way to get blocks we do not have: Bitswap, a trustless HTTP gateway, …</summary>
public interface IBlockBroker
{
    string Name { get; }

    /// <summary>
    /// Returns bytes that hash to <paramref name="cid"/>: the broker verifies every block against its CID (with the hash
    /// function the CID names) before returning it, so a lying provider can be dropped. Nobody writes the returned memory
    /// again (callers that asked for the same block may share it), so the caller may keep it without a copy.
    /// Throws <see cref="BlockNotFoundException"/> when the broker gives up.
    /// </summary>
    ValueTask<ReadOnlyMemory<byte>> RetrieveAsync(Cid cid, BlockRetrievalOptions options, CancellationToken cancellationToken);

    /// <summary>Tells whoever wants <paramref name="cid"/> that we now have it; may complete at once.</summary>
    ValueTask AnnounceAsync(Cid cid, CancellationToken cancellationToken);

    /// <summary>A broker that fetches only from the peers that had <paramref name="root"/>; null when this broker has no sessions.</summary>
    IBlockBroker? CreateSession(Cid root, SessionOptions options);
}
