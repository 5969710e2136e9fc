using Helia.Multiformats;

namespace Helia.Libp2p;

/// <summary>A way to reach peers: TCP, memory, later QUIC or WebSockets.</summary>
public interface ITransport
{
    /// <summary>True when this transport can dial (and listen on) addresses of this shape.</summary>
    bool CanDial(Multiaddr address);

    ValueTask<ITransportConnection> DialAsync(Multiaddr address, CancellationToken cancellationToken);

    ValueTask<ITransportListener> ListenAsync(Multiaddr address, CancellationToken cancellationToken);
}
