namespace Helia.Libp2p;

/// <summary>Raised from a stream's reads and writes after it was reset, locally or by the remote peer.</summary>
public sealed class StreamResetException(StreamErrorCode code, string message) : Libp2pException(message)
{
    public StreamErrorCode Code { get; } = code;
}
