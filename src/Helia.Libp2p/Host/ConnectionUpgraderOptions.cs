namespace Helia.Libp2p.Host;

public sealed class ConnectionUpgraderOptions
{
    public static readonly TimeSpan DefaultHandshakeTimeout = TimeSpan.FromSeconds(20);
    public static readonly TimeSpan DefaultStreamNegotiationTimeout = TimeSpan.FromSeconds(10);

    /// <summary>The bound on negotiating security, the handshake and the muxer of one connection.</summary>
    public TimeSpan HandshakeTimeout { get; init; } = DefaultHandshakeTimeout;

    /// <summary>The bound on multistream negotiation of one stream.</summary>
    public TimeSpan StreamNegotiationTimeout { get; init; } = DefaultStreamNegotiationTimeout;

    /// <summary>
    /// When a stream is opened for a single protocol, send the proposal and return at once, checking the answer on the
    /// first read (lazy multistream-select, as js-libp2p's and rust-libp2p's dialers may do): saves a round trip per
    /// stream. A refusal then surfaces as <see cref="Negotiation.ProtocolNotSupportedException"/> from that first read.
    /// </summary>
    public bool LazyStreamNegotiation { get; init; } = true;

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
