using Helia.Multiformats;

namespace Helia.Core.Routing;

/// <summary>Finds a peer's addresses, and the peers closest to a key.</summary>
public interface IPeerRouter : IRouter
{
    /// <summary>The peer's addresses, or null when no router knows it.</summary>
    ValueTask<PeerInfo?> FindPeerAsync(PeerId peer, CancellationToken cancellationToken = default);

    IAsyncEnumerable<PeerInfo> GetClosestPeersAsync(ReadOnlyMemory<byte> key, CancellationToken cancellationToken = default);
}
