namespace Helia.Libp2p.Muxing.Yamux;

/// <summary>A yamux session error: a protocol violation by the peer, a GoAway, a closed session or a limit.</summary>
public sealed class YamuxException : Libp2pException
{
    public YamuxException(YamuxError error, string message)
        : base(message)
    {
        Error = error;
    }

    public YamuxException(YamuxError error, string message, Exception innerException)
        : base(message, innerException)
    {
        Error = error;
    }

    public YamuxError Error { get; }
}
