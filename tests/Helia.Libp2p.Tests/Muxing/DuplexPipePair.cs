using System.IO.Pipelines;

namespace Helia.Libp2p.Tests.Muxing;

/// <summary>Two connected in-memory ends, each an <see cref="IDuplexPipe"/>: what one writes the other reads.</summary>
public sealed class DuplexPipePair
{
    public DuplexPipePair(PipeOptions? options = null)
    {
        var aToB = new Pipe(options ?? PipeOptions.Default);
        var bToA = new Pipe(options ?? PipeOptions.Default);
        AOutput = new CountingPipeWriter(aToB.Writer);
        BOutput = new CountingPipeWriter(bToA.Writer);
        A = new DuplexPipe(bToA.Reader, AOutput);
        B = new DuplexPipe(aToB.Reader, BOutput);
    }

    public IDuplexPipe A { get; }

    public IDuplexPipe B { get; }

    /// <summary>Counts what A sent to B.</summary>
    public CountingPipeWriter AOutput { get; }

    /// <summary>Counts what B sent to A.</summary>
    public CountingPipeWriter BOutput { get; }

    private sealed class DuplexPipe(PipeReader input, PipeWriter output) : IDuplexPipe
    {
        public PipeReader Input { get; } = input;

        public PipeWriter Output { get; } = output;
    }
}

/// <summary>A <see cref="PipeWriter"/> that counts the bytes written through it (the bytes "on the wire").</summary>
public sealed class CountingPipeWriter(PipeWriter inner) : PipeWriter
{
    private readonly Lock _sync = new();
    private long _bytesWritten;
    private long _waitingFor;
    private TaskCompletionSource? _waiter;

    public long BytesWritten
    {
        get
        {
            lock (_sync)
            {
                return _bytesWritten;
            }
        }
    }

    /// <summary>Completes once at least <paramref name="count"/> bytes went through (one waiter at a time).</summary>
    public Task WaitForBytesAsync(long count)
    {
        lock (_sync)
        {
            if (_bytesWritten >= count)
            {
                return Task.CompletedTask;
            }

            _waitingFor = count;
            _waiter = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            return _waiter.Task;
        }
    }

    public override void Advance(int bytes)
    {
        inner.Advance(bytes);
        TaskCompletionSource? reached = null;
        lock (_sync)
        {
            _bytesWritten += bytes;
            if (_waiter is not null && _bytesWritten >= _waitingFor)
            {
                reached = _waiter;
                _waiter = null;
            }
        }

        reached?.TrySetResult();
    }

    public override Memory<byte> GetMemory(int sizeHint = 0) => inner.GetMemory(sizeHint);

    public override Span<byte> GetSpan(int sizeHint = 0) => inner.GetSpan(sizeHint);

    public override ValueTask<FlushResult> FlushAsync(CancellationToken cancellationToken = default) => inner.FlushAsync(cancellationToken);

    public override void CancelPendingFlush() => inner.CancelPendingFlush();

    public override void Complete(Exception? exception = null) => inner.Complete(exception);
}
