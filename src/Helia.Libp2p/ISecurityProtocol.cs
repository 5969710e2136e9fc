using System.IO.Pipelines;
using Helia.Multiformats;

namespace Helia.Libp2p;

/// <summary>
/// A security handshake negotiated by multistream-select ("/noise"). Like <see cref="IStreamMuxer"/>, it takes a plain
/// duplex pipe (the raw connection after negotiation), so it can be tested over in-memory pipes.
/// </summary>
public interface ISecurityProtocol
{
    string ProtocolId { get; }

    /// <summary>
    /// Runs the handshake. When <paramref name="expectedPeer"/> is given (dialing a /p2p/ address) a different
    /// remote identity fails the handshake with a <see cref="Libp2pException"/> naming both peer IDs.
    /// </summary>
    ValueTask<SecureChannel> SecureAsync(IDuplexPipe connection, bool isInitiator, PeerId? expectedPeer, CancellationToken cancellationToken);
}
