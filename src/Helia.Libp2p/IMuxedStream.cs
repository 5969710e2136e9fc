using System.IO.Pipelines;

namespace Helia.Libp2p;

/// <summary>
/// One stream of a multiplexed connection, before any protocol is negotiated on it.
/// Completing <see cref="IDuplexPipe.Output"/> half-closes the stream (FIN); completing <see cref="IDuplexPipe.Input"/>
/// stops reading; <see cref="Reset"/> aborts both directions (go-libp2p's mux semantics).
/// Disposing closes what is still open: a FIN for the write side, and the read side is released.
/// Cancelling a flush (its token, or <see cref="System.IO.Pipelines.PipeWriter.CancelPendingFlush"/>) stops a wait for
/// the peer's window or for the connection to be free, and keeps what is unsent for the next flush. It does not stop a
/// write already handed to the connection: one that waits for the connection itself to drain (a peer that stops reading
/// at the transport level) ends only when the connection does (for yamux, at the latest on its keep-alive timeout).
/// </summary>
public interface IMuxedStream : IDuplexPipe, IAsyncDisposable
{
    long Id { get; }

    void Reset(StreamErrorCode code = StreamErrorCode.Cancelled);
}
