namespace Helia.Libp2p.Host;

public sealed class ConnectionUpgraderOptions
{
    public static readonly TimeSpan DefaultHandshakeTimeout = TimeSpan.FromSeconds(20);
    public static readonly TimeSpan DefaultStreamNegotiationTimeout = TimeSpan.FromSeconds(10);

    /// <summary>The bound on negotiating security, the handshake and the muxer of one connection.</summary>
    public TimeSpan HandshakeTimeout { get; init; } = DefaultHandshakeTimeout;

    /// <summary>The bound on multistream negotiation of one stream.</summary>
    public TimeSpan StreamNegotiationTimeout { get; init; } = DefaultStreamNegotiationTimeout;

    public void Validate()
    {
        if (HandshakeTimeout <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(HandshakeTimeout), HandshakeTimeout, "Must be positive.");
        }

        if (StreamNegotiationTimeout <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(StreamNegotiationTimeout), StreamNegotiationTimeout, "Must be positive.");
        }
    }
}
