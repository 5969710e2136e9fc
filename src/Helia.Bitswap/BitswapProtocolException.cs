namespace Helia.Bitswap;

/// <summary>A peer broke the Bitswap protocol: a malformed, truncated or oversized message, or too many wants.</summary>
public sealed class BitswapProtocolException : BitswapException
{
    public BitswapProtocolException(string message)
        : base(message)
    {
    }

    public BitswapProtocolException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
