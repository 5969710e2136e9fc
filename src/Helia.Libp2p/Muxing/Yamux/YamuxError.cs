namespace Helia.Libp2p.Muxing.Yamux;

/// <summary>
/// Why a yamux session failed. The first three values are the GoAway codes on the wire; the others describe local
/// conditions and are sent as <see cref="InternalError"/> when a GoAway is sent for them.
/// </summary>
public enum YamuxError
{
    /// <summary>Normal termination (GoAway code 0).</summary>
    Normal = 0,

    /// <summary>The peer broke the protocol (GoAway code 1).</summary>
    ProtocolError = 1,

    /// <summary>An internal error (GoAway code 2).</summary>
    InternalError = 2,

    /// <summary>The session is closed; no stream can be opened or accepted any more.</summary>
    SessionClosed = 100,

    /// <summary>The peer sent a GoAway: it accepts no new streams.</summary>
    RemoteGoAway = 101,

    /// <summary>Opening a stream would exceed <see cref="YamuxOptions.MaxStreams"/>.</summary>
    StreamLimitExceeded = 102,

    /// <summary>The peer did not answer a keep-alive ping in time.</summary>
    KeepAliveTimeout = 103,
}
