namespace Helia.Libp2p;

/// <summary>A peer broke the rules of a protocol running on a stream (identify, ping, bitswap …).</summary>
public class Libp2pProtocolException : Libp2pException
{
    public Libp2pProtocolException(string protocolId, string message)
        : base($"{protocolId}: {message}")
    {
        ProtocolId = protocolId;
    }

    public Libp2pProtocolException(string protocolId, string message, Exception innerException)
        : base($"{protocolId}: {message}", innerException)
    {
        ProtocolId = protocolId;
    }

    public string ProtocolId { get; }
}
