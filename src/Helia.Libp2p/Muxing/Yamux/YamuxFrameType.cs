namespace Helia.Libp2p.Muxing.Yamux;

/// <summary>The yamux frame types (the header's type byte).</summary>
internal enum YamuxFrameType : byte
{
    /// <summary>Carries stream data; the length is the payload size.</summary>
    Data = 0,

    /// <summary>Grows the receiver's send window; the length is the delta.</summary>
    WindowUpdate = 1,

    /// <summary>A session ping (stream 0); the length is an opaque value echoed back.</summary>
    Ping = 2,

    /// <summary>Ends the session (stream 0); the length is a <see cref="YamuxError"/> code.</summary>
    GoAway = 3,
}
