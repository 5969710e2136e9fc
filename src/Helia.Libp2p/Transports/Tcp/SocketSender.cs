using System.Buffers;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Threading.Tasks.Sources;

namespace Helia.Libp2p.Transports.Tcp;

/// <summary>
/// Sends a buffer sequence with one system call (a gather list for sendmsg) and no allocation per send: one reusable
/// <see cref="SocketAsyncEventArgs"/>, awaited as a ValueTask. The send loop finds several frames queued whenever the
/// writers run ahead of the socket, and one call for all of them costs the kernel a fraction of one call per frame.
/// Not thread-safe: one send at a time, as the connection's single send loop does.
/// </summary>
internal sealed class SocketSender : SocketAsyncEventArgs, IValueTaskSource<int>
{
    // Bounds one call's gather list; the send loop sends the rest next. .NET builds a list of up to 8 on the stack and
    // allocates two arrays per call for a longer one; 8 segments of the pipe are 128 KiB to 512 KiB.
    private const int MaxSegmentsPerSend = 8;

    private readonly List<ArraySegment<byte>> _segments = new(MaxSegmentsPerSend);
    private ManualResetValueTaskSourceCore<int> _completion;

    public SocketSender()
        : base(unsafeSuppressExecutionContextFlow: true)
    {
    }

    /// <summary>Sends from the start of <paramref name="buffer"/>; returns how many bytes the kernel took (maybe fewer than all).</summary>
    public ValueTask<int> SendAsync(Socket socket, in ReadOnlySequence<byte> buffer)
    {
        Prepare(buffer);
        _completion.Reset();
        if (socket.SendAsync(this))
        {
            return new ValueTask<int>(this, _completion.Version);
        }

        return SocketError == SocketError.Success
            ? new ValueTask<int>(BytesTransferred)
            : ValueTask.FromException<int>(new SocketException((int)SocketError));
    }

    int IValueTaskSource<int>.GetResult(short token) => _completion.GetResult(token);

    ValueTaskSourceStatus IValueTaskSource<int>.GetStatus(short token) => _completion.GetStatus(token);

    void IValueTaskSource<int>.OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
        _completion.OnCompleted(continuation, state, token, flags);

    protected override void OnCompleted(SocketAsyncEventArgs e)
    {
        if (SocketError == SocketError.Success)
        {
            _completion.SetResult(BytesTransferred);
        }
        else
        {
            _completion.SetException(new SocketException((int)SocketError));
        }
    }

    /// <summary>
    /// Points this at the non-empty <paramref name="buffer"/>: its segments as a gather list, or its first non-empty
    /// segment alone (a pipe's sequence can start with an empty one; sending it would send nothing, for ever).
    /// </summary>
    private void Prepare(in ReadOnlySequence<byte> buffer)
    {
        _segments.Clear();
        ReadOnlyMemory<byte> first = default;
        bool gather = !buffer.IsSingleSegment;
        foreach (ReadOnlyMemory<byte> segment in buffer)
        {
            if (segment.IsEmpty)
            {
                continue;
            }

            if (first.IsEmpty)
            {
                first = segment;
            }

            if (!gather)
            {
                break;
            }

            if (!MemoryMarshal.TryGetArray(segment, out ArraySegment<byte> array))
            {
                _segments.Clear();                  // memory not backed by an array: send segment by segment
                break;
            }

            _segments.Add(array);
            if (_segments.Count == MaxSegmentsPerSend)
            {
                break;
            }
        }

        if (_segments.Count > 1)
        {
            SetBuffer(default);                     // Buffer and BufferList cannot both be set
            BufferList = _segments;
        }
        else
        {
            BufferList = null;
            SetBuffer(MemoryMarshal.AsMemory(first));
        }
    }
}
