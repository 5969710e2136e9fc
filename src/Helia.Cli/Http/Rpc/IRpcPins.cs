using Helia.Multiformats;

namespace Helia.Cli.Http.Rpc;

/// <summary>The pin set, as pin add/rm/ls use it.</summary>
public interface IRpcPins
{
    /// <summary>Pins a root (recursively: the whole DAG must be local or fetchable).</summary>
    ValueTask PinAsync(Cid cid, bool recursive, CancellationToken cancellationToken);

    /// <summary>Unpins a root; throws when it is not pinned that way.</summary>
    ValueTask UnpinAsync(Cid cid, bool recursive, CancellationToken cancellationToken);

    /// <summary>Pins of the given type ("all", "recursive", "direct", "indirect").</summary>
    IAsyncEnumerable<RpcPin> ListAsync(string type, CancellationToken cancellationToken);

    /// <summary>How one CID is pinned, or null when it is not.</summary>
    ValueTask<RpcPin?> GetAsync(Cid cid, CancellationToken cancellationToken);
}
