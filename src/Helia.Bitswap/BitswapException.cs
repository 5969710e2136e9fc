using Helia.Core;

namespace Helia.Bitswap;

/// <summary>The base of every error Bitswap raises.</summary>
public class BitswapException : HeliaException
{
    public BitswapException(string message)
        : base(message)
    {
    }

    public BitswapException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
