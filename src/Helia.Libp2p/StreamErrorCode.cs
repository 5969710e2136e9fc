namespace Helia.Libp2p;

/// <summary>Why a stream was reset (go-libp2p's network.StreamErrorCode; yamux carries no code on the wire).</summary>
public enum StreamErrorCode
{
    /// <summary>The local side gave up on the stream.</summary>
    Cancelled = 0,

    /// <summary>The remote side broke the protocol on this stream.</summary>
    ProtocolError = 1,

    /// <summary>The stream exceeded a limit (buffered bytes, window, concurrent streams).</summary>
    LimitExceeded = 2,

    /// <summary>The connection under the stream closed.</summary>
    ConnectionClosed = 3,
}
