using Helia.Multiformats;

namespace Helia.Libp2p;

/// <summary>
/// The one object that owns the network: listeners, connections, the peer store and protocol handlers.
/// Named ILibp2pHost, not IHost: Microsoft.Extensions.Hosting.IHost is an implicit using in the Web SDK.
/// Event handlers must not block: post to a Channel and drain it from an owned loop.
/// </summary>
public interface ILibp2pHost : IAsyncDisposable
{
    PeerId Id { get; }

    /// <summary>The addresses actually bound (ports filled in) once started.</summary>
    IReadOnlyList<Multiaddr> ListenAddresses { get; }

    IPeerStore PeerStore { get; }

    IReadOnlyCollection<IConnection> Connections { get; }

    ValueTask StartAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Listens on one more address while the host runs and returns the bound address (port filled in); connected
    /// peers and the local network hear of it (identify push, mDNS).
    /// </summary>
    ValueTask<Multiaddr> ListenAsync(Multiaddr address, CancellationToken cancellationToken = default);

    /// <summary>
    /// Closes the listener bound to <paramref name="address"/> (as in <see cref="ListenAddresses"/>) and announces it
    /// as gone; connections it accepted stay open. False when no listener has that address. The token is honoured only
    /// before anything changes: once the listener is taken out, its close and the announcement always complete, so the
    /// announced addresses never differ from the listeners.
    /// </summary>
    ValueTask<bool> StopListeningAsync(Multiaddr address, CancellationToken cancellationToken = default);

    /// <summary>Returns an open connection to the peer, reusing one that exists and joining a dial in progress.</summary>
    ValueTask<IConnection> DialAsync(PeerId peer, CancellationToken cancellationToken = default);

    /// <summary>Dials an address; with a /p2p/ suffix the remote identity must match it.</summary>
    ValueTask<IConnection> DialAsync(Multiaddr address, CancellationToken cancellationToken = default);

    /// <summary>Dials the peer if needed and opens a stream for the first protocol it supports.</summary>
    ValueTask<IStream> NewStreamAsync(PeerId peer, IReadOnlyList<string> protocols, CancellationToken cancellationToken = default);

    /// <summary>Registers a handler for inbound streams; disposing the result unregisters it.</summary>
    IDisposable Handle(string protocolId, StreamHandler handler, StreamHandlerOptions? options = null);

    event EventHandler<PeerEventArgs>? PeerConnected;

    event EventHandler<PeerEventArgs>? PeerDisconnected;

    event EventHandler<PeerEventArgs>? PeerIdentified;

    event EventHandler<PeerEventArgs>? PeerDiscovered;
}
