using System.Buffers;
using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;
using Helia.Multiformats;
using Microsoft.Extensions.Logging;

namespace Helia.Libp2p.Transports.Tcp;

/// <summary>
/// A TCP socket as a duplex pipe, with two owned loops (Kestrel's SocketConnection pattern): the receive loop fills
/// <see cref="Input"/> from the socket, the send loop drains <see cref="Output"/> into it. Completing Output sends FIN;
/// the peer's FIN completes Input. <see cref="Abort"/> closes the socket at once.
/// </summary>
internal sealed partial class TcpConnection : ITransportConnection
{
    // A receive takes in up to 256 KiB: with the reader running inline (below), several frames per receive means fewer
    // system calls and wake-ups, and a frame lands across two receive buffers (and is gathered into the reader's scratch
    // buffer) about once in four frames rather than almost every time, as with 64 KiB receives and 64 KiB frames.
    private const int MinimumReceiveBuffer = 256 * 1024;

    // The reader of Input (the security channel's, then the muxer's read loop) runs on the receive loop's own thread, as
    // the continuation of its flush, rather than as one more thread-pool work item per receive: on a machine with few
    // cores the hand-off costs more than it gains. The receive loop goes on only when that continuation reaches an
    // await that does not complete at once, so the reader must never block its thread or do long work in between
    // (yamux's read loop only queues its replies and never waits synchronously). A cancellation of the token given to
    // ReadAsync runs the reader's continuation on the cancelling thread the same way: yamux's teardown then runs inside
    // the Cancel of its session's Abort.
    private static PipeOptions InboundOptions(MemoryPool<byte> pool) => new(
        pool, readerScheduler: PipeScheduler.Inline, pauseWriterThreshold: 1024 * 1024, resumeWriterThreshold: 512 * 1024,
        minimumSegmentSize: 16 * 1024, useSynchronizationContext: false);

    private static PipeOptions OutboundOptions(MemoryPool<byte> pool) => new(
        pool, pauseWriterThreshold: 1024 * 1024, resumeWriterThreshold: 512 * 1024, minimumSegmentSize: 16 * 1024,
        useSynchronizationContext: false);

    private static readonly TimeSpan s_lingerTimeout = TimeSpan.FromSeconds(2);

    private readonly Socket _socket;
    private readonly ILogger _logger;
    private readonly Pipe _inbound;
    private readonly Pipe _outbound;
    private readonly CancellationTokenSource _closed = new();
    private readonly Task _receiveLoop;
    private readonly Task _sendLoop;
    private readonly Task _closeTask;
    private int _aborted;

    public TcpConnection(Socket socket, MemoryPool<byte> pool, ILogger logger)
    {
        _socket = socket;
        _inbound = new Pipe(InboundOptions(pool));
        _outbound = new Pipe(OutboundOptions(pool));
        _logger = logger;
        LocalAddress = Multiaddr.FromTcpEndPoint((IPEndPoint)socket.LocalEndPoint!);
        RemoteAddress = Multiaddr.FromTcpEndPoint((IPEndPoint)socket.RemoteEndPoint!);
        _receiveLoop = RunReceiveLoopAsync();
        _sendLoop = RunSendLoopAsync();
        _closeTask = CloseWhenDoneAsync();
    }

    public Multiaddr LocalAddress { get; }

    public Multiaddr RemoteAddress { get; }

    public CancellationToken Closed => _closed.Token;

    public PipeReader Input => _inbound.Reader;

    public PipeWriter Output => _outbound.Writer;

    public void Abort(Exception? reason = null)
    {
        if (Interlocked.Exchange(ref _aborted, 1) != 0)
        {
            return;
        }

        Log.Aborted(_logger, RemoteAddress, reason?.Message ?? "closed locally");
        _socket.Dispose();                          // fails the pending receive and send
        _outbound.Reader.CancelPendingRead();
    }

    public async ValueTask DisposeAsync()
    {
        await _outbound.Writer.CompleteAsync();     // lets the send loop flush what is queued, then FIN
        try
        {
            await _sendLoop.WaitAsync(s_lingerTimeout);
        }
        catch (TimeoutException)
        {
        }

        Abort();
        await _closeTask;
    }

    private async Task RunReceiveLoopAsync()
    {
        await Task.Yield();
        PipeWriter writer = _inbound.Writer;
        Exception? error = null;
        try
        {
            bool drained = true;                    // the last receive emptied the socket (or none happened yet)
            while (true)
            {
                if (drained)
                {
                    // Wait for data without holding a buffer: an idle connection then holds none (the pipe lets its
                    // last segment go once the reader has consumed it), not a 256 KiB array per connection.
                    await _socket.ReceiveAsync(Memory<byte>.Empty, SocketFlags.None);
                }

                Memory<byte> memory = writer.GetMemory(MinimumReceiveBuffer);
                int received = await _socket.ReceiveAsync(memory, SocketFlags.None);
                if (received == 0)
                {
                    break;                          // FIN from the peer
                }

                drained = received < memory.Length;

                writer.Advance(received);
                FlushResult flush = await writer.FlushAsync();
                if (flush.IsCompleted || flush.IsCanceled)
                {
                    break;                          // the reader is gone
                }
            }
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
            error = Volatile.Read(ref _aborted) != 0 ? new Libp2pException("The connection was aborted.", ex) : ex;
        }
        finally
        {
            await writer.CompleteAsync(error);
        }
    }

    private async Task RunSendLoopAsync()
    {
        await Task.Yield();
        PipeReader reader = _outbound.Reader;
        using var sender = new SocketSender();
        Exception? error = null;
        try
        {
            while (true)
            {
                ReadResult result = await reader.ReadAsync();
                if (result.IsCanceled)
                {
                    break;
                }

                ReadOnlySequence<byte> buffer = result.Buffer;
                while (!buffer.IsEmpty)
                {
                    buffer = buffer.Slice(await sender.SendAsync(_socket, buffer));
                }

                reader.AdvanceTo(result.Buffer.End);
                if (result.IsCompleted)
                {
                    _socket.Shutdown(SocketShutdown.Send);
                    break;
                }
            }
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
            error = ex;
        }
        finally
        {
            await reader.CompleteAsync(error);
        }
    }

    private async Task CloseWhenDoneAsync()
    {
        await Task.WhenAll(_receiveLoop, _sendLoop);
        _socket.Dispose();
        await _closed.CancelAsync();
    }

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Debug, Message = "TCP connection to {Address} aborted: {Reason}")]
        public static partial void Aborted(ILogger logger, Multiaddr address, string reason);
    }
}
