using Helia.Bitswap.Messages;
using Helia.Multiformats;

namespace Helia.Bitswap;

/// <summary>What the engine and the client need from the network: send to a peer, cut a peer off, find and dial peers.</summary>
internal interface IBitswapNetwork
{
    /// <summary>Queues wantlist changes for the peer; they are coalesced into as few messages as fit.</summary>
    void SendWants(PeerId peer, IReadOnlyList<WantlistEntry> entries);

    /// <summary>
    /// Queues a message; <paramref name="onFlushed"/> runs once it was written and flushed to the peer's stream
    /// (with the error when it could not be), from the peer's send loop: it must not block.
    /// </summary>
    void Send(PeerId peer, BitswapMessage message, Action<Exception?>? onFlushed);

    /// <summary>Closes every connection to a misbehaving peer.</summary>
    void Disconnect(PeerId peer, string reason);

    /// <summary>Dials a provider; its connection event then brings it into Bitswap.</summary>
    Task ConnectAsync(PeerInfo peer, CancellationToken cancellationToken);
}
