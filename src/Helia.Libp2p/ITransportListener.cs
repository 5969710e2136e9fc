using Helia.Multiformats;

namespace Helia.Libp2p;

/// <summary>A bound listener; disposing it stops accepting.</summary>
public interface ITransportListener : IAsyncDisposable
{
    /// <summary>The bound address, with a port 0 replaced by the real one.</summary>
    Multiaddr Address { get; }

    /// <summary>Waits for the next inbound connection; throws <see cref="OperationCanceledException"/> once disposed.</summary>
    ValueTask<ITransportConnection> AcceptAsync(CancellationToken cancellationToken);
}
