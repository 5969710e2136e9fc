namespace Helia.Libp2p;

/// <summary>Limits for one protocol's streams on one connection.</summary>
public sealed class StreamHandlerOptions
{
    public const int DefaultMaxInboundStreams = 32;
    public const int DefaultMaxOutboundStreams = 64;

    /// <summary>Inbound streams of this protocol open at once per connection; more are reset.</summary>
    public int MaxInboundStreams { get; init; } = DefaultMaxInboundStreams;

    /// <summary>Outbound streams of this protocol open at once per connection; more fail to open.</summary>
    public int MaxOutboundStreams { get; init; } = DefaultMaxOutboundStreams;
}
