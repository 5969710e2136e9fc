using Helia.Multiformats;

namespace Helia.Libp2p;

/// <summary>A new outbound stream would pass the protocol's per-connection limit (<see cref="StreamHandlerOptions.MaxOutboundStreams"/>).</summary>
public sealed class StreamLimitExceededException(string protocol, PeerId peer, int limit)
    : Libp2pException($"Too many outbound {protocol} streams to {peer}: the limit is {limit} per connection.")
{
    public string Protocol { get; } = protocol;
}
