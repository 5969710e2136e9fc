using Helia.Multiformats;

namespace Helia.Core.Pins;

/// <summary>Something other than pins that keeps DAGs alive (MFS later): garbage collection walks its roots recursively.</summary>
public interface IGcRootProvider
{
    IAsyncEnumerable<Cid> GetRootsAsync(CancellationToken cancellationToken);
}
