namespace Helia.Libp2p;

/// <summary>A connection carrying many independent streams (yamux).</summary>
public interface IMuxedConnection : IAsyncDisposable
{
    /// <summary>Fires once the connection is closed, cleanly or by an error.</summary>
    CancellationToken Closed { get; }

    /// <summary>Opens a new outbound stream; no protocol has been negotiated on it yet.</summary>
    ValueTask<IMuxedStream> OpenStreamAsync(CancellationToken cancellationToken);

    /// <summary>Waits for the next inbound stream; throws <see cref="Libp2pException"/> once the connection is closed.</summary>
    ValueTask<IMuxedStream> AcceptStreamAsync(CancellationToken cancellationToken);

    /// <summary>Closes the connection at once: tells the peer when possible and resets every stream.</summary>
    void Abort(Exception? reason = null);
}
