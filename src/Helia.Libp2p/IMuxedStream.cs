using System.IO.Pipelines;

namespace Helia.Libp2p;

/// <summary>
/// One stream of a multiplexed connection, before any protocol is negotiated on it.
/// Completing <see cref="IDuplexPipe.Output"/> half-closes the stream (FIN); completing <see cref="IDuplexPipe.Input"/>
/// stops reading; <see cref="Reset"/> aborts both directions (go-libp2p's mux semantics).
/// Disposing closes what is still open: a FIN for the write side, and the read side is released.
/// </summary>
public interface IMuxedStream : IDuplexPipe, IAsyncDisposable
{
    long Id { get; }

    void Reset(StreamErrorCode code = StreamErrorCode.Cancelled);
}
