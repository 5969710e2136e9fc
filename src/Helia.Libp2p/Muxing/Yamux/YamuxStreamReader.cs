using System.Buffers;
using System.IO.Pipelines;
using System.Runtime.CompilerServices;

namespace Helia.Libp2p.Muxing.Yamux;

/// <summary>
/// The stream's Input: the inbound pipe's reader, counting what the application has examined so the stream can return
/// that much window to the peer. Examined, not consumed: a reader that waits for a whole length-prefixed message larger
/// than the window (a 1 MiB Bitswap block) examines everything and consumes nothing until the message is complete, so
/// crediting only consumed bytes would stall it forever. How much a reader may buffer is its protocol's limit.
/// </summary>
internal sealed class YamuxStreamReader(YamuxStream stream, PipeReader inner) : PipeReader
{
    private ReadOnlySequence<byte> _lastBuffer;

    // Bytes at the start of the unconsumed buffer whose window has already been returned to the peer.
    private long _credited;

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public override async ValueTask<ReadResult> ReadAsync(CancellationToken cancellationToken = default)
    {
        ReadResult result = await inner.ReadAsync(cancellationToken);
        _lastBuffer = result.Buffer;
        return result;
    }

    public override bool TryRead(out ReadResult result)
    {
        if (!inner.TryRead(out result))
        {
            return false;
        }

        _lastBuffer = result.Buffer;
        return true;
    }

    public override void AdvanceTo(SequencePosition consumed) => AdvanceTo(consumed, consumed);

    public override void AdvanceTo(SequencePosition consumed, SequencePosition examined)
    {
        long consumedBytes = _lastBuffer.Slice(_lastBuffer.Start, consumed).Length;
        long examinedBytes = Math.Max(consumedBytes, _lastBuffer.Slice(_lastBuffer.Start, examined).Length);
        _lastBuffer = default;
        inner.AdvanceTo(consumed, examined);

        long creditedEnd = Math.Max(_credited, examinedBytes);
        long newlyExamined = creditedEnd - _credited;
        _credited = creditedEnd - consumedBytes;     // the buffer now starts at `consumed`
        if (newlyExamined > 0)
        {
            stream.OnConsumed(newlyExamined);
        }
    }

    public override void CancelPendingRead() => inner.CancelPendingRead();

    public override void Complete(Exception? exception = null)
    {
        _lastBuffer = default;
        inner.Complete(exception);
        stream.OnReadStopped();
    }

    // Loops here rather than in the inner reader, so every partial read's examined bytes return window to the peer.
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    protected override async ValueTask<ReadResult> ReadAtLeastAsyncCore(int minimumSize, CancellationToken cancellationToken)
    {
        while (true)
        {
            ReadResult result = await ReadAsync(cancellationToken);
            if (result.Buffer.Length >= minimumSize || result.IsCompleted || result.IsCanceled)
            {
                return result;
            }

            AdvanceTo(result.Buffer.Start, result.Buffer.End);
        }
    }
}
