namespace Helia.Libp2p.Negotiation;

/// <summary>The peer broke multistream-select: a malformed, truncated or over-long message, or an unexpected reply.</summary>
public class MultistreamException : Libp2pException
{
    public MultistreamException(string message)
        : base(message)
    {
    }

    public MultistreamException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
