using Helia.Multiformats;

namespace Helia.Core.Routing;

/// <summary>A peer that says it has a CID, the addresses it may be reached at, and the router that found it.</summary>
public sealed record ProviderRecord(PeerId PeerId, IReadOnlyList<Multiaddr> Addresses, string? Router = null)
{
    public PeerInfo ToPeerInfo() => new(PeerId, Addresses);
}
