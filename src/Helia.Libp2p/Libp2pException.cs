namespace Helia.Libp2p;

/// <summary>The base of every error the libp2p stack raises: a peer broke a protocol, a dial failed, a stream was reset.</summary>
public class Libp2pException : Exception
{
    public Libp2pException(string message)
        : base(message)
    {
    }

    public Libp2pException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
