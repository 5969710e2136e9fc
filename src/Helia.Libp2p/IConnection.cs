using Helia.Multiformats;

namespace Helia.Libp2p;

/// <summary>A secured, multiplexed connection to one authenticated peer.</summary>
public interface IConnection
{
    PeerId RemotePeer { get; }

    Multiaddr RemoteAddress { get; }

    Multiaddr LocalAddress { get; }

    /// <summary>True when we dialed, false when the peer dialed us.</summary>
    bool IsInitiator { get; }

    /// <summary>Fires once the connection is closed by either side.</summary>
    CancellationToken Closed { get; }

    /// <summary>Opens a stream and negotiates the first of <paramref name="protocols"/> the peer supports.</summary>
    ValueTask<IStream> NewStreamAsync(IReadOnlyList<string> protocols, CancellationToken cancellationToken);

    /// <summary>Closes the connection and every stream on it.</summary>
    ValueTask CloseAsync(CancellationToken cancellationToken = default);
}
