namespace Helia.Libp2p.Muxing.Yamux;

/// <summary>The yamux header flags.</summary>
[Flags]
internal enum YamuxFlags : ushort
{
    None = 0,

    /// <summary>Opens a stream; on a ping, asks for an answer.</summary>
    Syn = 0x1,

    /// <summary>Accepts a stream; on a ping, is the answer.</summary>
    Ack = 0x2,

    /// <summary>Half-closes the stream: the sender sends no more data.</summary>
    Fin = 0x4,

    /// <summary>Resets the stream at once.</summary>
    Rst = 0x8,
}
