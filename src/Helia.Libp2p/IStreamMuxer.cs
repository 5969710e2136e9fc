using System.IO.Pipelines;

namespace Helia.Libp2p;

/// <summary>
/// A stream multiplexer negotiated after the security handshake ("/yamux/1.0.0").
/// It takes the secured byte channel as a plain duplex pipe: a muxer never needs the peer's identity.
/// </summary>
public interface IStreamMuxer
{
    string ProtocolId { get; }

    /// <summary>Starts multiplexing over <paramref name="channel"/>; the returned connection owns it from now on.</summary>
    IMuxedConnection Start(IDuplexPipe channel, bool isInitiator);
}
