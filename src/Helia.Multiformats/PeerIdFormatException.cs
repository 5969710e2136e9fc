namespace Helia.Multiformats;

/// <summary>A peer ID string or binary that is not a valid libp2p peer ID.</summary>
public sealed class PeerIdFormatException : MultiformatsException
{
    public PeerIdFormatException(string message)
        : base(message)
    {
    }

    public PeerIdFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
