using System.IO.Pipelines;
using Helia.Multiformats;

namespace Helia.Libp2p;

/// <summary>A raw byte connection (a TCP socket, an in-memory pipe): Kestrel's ConnectionContext without the feature bag.</summary>
public interface ITransportConnection : IDuplexPipe, IAsyncDisposable
{
    Multiaddr LocalAddress { get; }

    Multiaddr RemoteAddress { get; }

    /// <summary>Fires once the connection is closed by either side.</summary>
    CancellationToken Closed { get; }

    /// <summary>Closes the connection at once; pending reads and writes fail.</summary>
    void Abort(Exception? reason = null);
}
