using Helia.Multiformats;

namespace Helia.Core.Routing;

/// <summary>Finds the peers that provide a CID, and tells the network that we provide one.</summary>
public interface IContentRouter : IRouter
{
    /// <summary>Providers as they are found; the sequence ends when the router has no more.</summary>
    IAsyncEnumerable<ProviderRecord> FindProvidersAsync(Cid cid, CancellationToken cancellationToken = default);

    ValueTask ProvideAsync(Cid cid, CancellationToken cancellationToken = default);
}
