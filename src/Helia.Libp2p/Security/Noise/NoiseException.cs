namespace Helia.Libp2p.Security.Noise;

/// <summary>The Noise handshake or a transport frame failed: malformed, oversized, unauthenticated or badly signed.</summary>
public sealed class NoiseException : Libp2pException
{
    public NoiseException(string message)
        : base(message)
    {
    }

    public NoiseException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
