namespace Helia.Libp2p.Crypto;

/// <summary>A key, its protobuf envelope or a key file is malformed, too large, or of a type we cannot use.</summary>
public sealed class KeyFormatException : Libp2pException
{
    public KeyFormatException(string message)
        : base(message)
    {
    }

    public KeyFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
