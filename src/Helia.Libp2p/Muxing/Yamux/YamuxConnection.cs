using System.IO.Pipelines;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;

namespace Helia.Libp2p.Muxing.Yamux;

/// <summary>
/// One yamux session over a secured channel. A read loop parses frames and feeds the streams; every write goes
/// through one funnel (the write lock, with control frames queued so the read loop never waits on the peer);
/// every failure goes through <see cref="Abort"/>, which sends a GoAway and resets every stream.
/// </summary>
internal sealed partial class YamuxConnection : IMuxedConnection
{
    private readonly PipeReader _input;
    private readonly PipeWriter _output;
    private readonly bool _isInitiator;
    private readonly YamuxOptions _options;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _closed = new();
    private readonly Lock _streamsLock = new();
    private readonly Dictionary<uint, YamuxStream> _streams = [];
    private readonly Channel<YamuxStream> _acceptQueue;
    private readonly SemaphoreSlim _ackBacklog;
    private readonly Task _readLoop;
    private readonly Task _writeLoop;
    private readonly Task _keepAliveLoop;
    private uint _nextStreamId;
    private long _windowGrowth;
    private int _aborted;
    private volatile Exception? _closeReason;
    private volatile bool _remoteGoAway;
    private YamuxStream[] _streamsAtClose = [];

    public YamuxConnection(IDuplexPipe channel, bool isInitiator, YamuxOptions options, ILogger logger)
    {
        _input = channel.Input;
        _output = channel.Output;
        _isInitiator = isInitiator;
        _options = options;
        _logger = logger;
        _nextStreamId = isInitiator ? 1u : 2u;
        _acceptQueue = Channel.CreateBounded<YamuxStream>(new BoundedChannelOptions(options.AcceptBacklog)
        {
            SingleWriter = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
        _ackBacklog = new SemaphoreSlim(options.MaxAckBacklog, options.MaxAckBacklog);
        _control = Channel.CreateUnbounded<YamuxHeader>(new UnboundedChannelOptions { SingleReader = false, SingleWriter = false });

        // Owned loops: awaited in DisposeAsync, never discarded.
        _writeLoop = RunWriteLoopAsync();
        _readLoop = RunReadLoopAsync();
        _keepAliveLoop = RunKeepAliveLoopAsync();
    }

    public CancellationToken Closed => _closed.Token;

    public bool IsInitiator => _isInitiator;

    internal YamuxOptions Options => _options;

    /// <summary>Why the session closed: null while open or after a clean close.</summary>
    internal Exception? CloseReason => _closeReason;

    /// <summary>How far the streams' receive windows have grown beyond their initial size, together.</summary>
    internal long WindowGrowth => Interlocked.Read(ref _windowGrowth);

    internal int StreamCount
    {
        get
        {
            lock (_streamsLock)
            {
                return _streams.Count;
            }
        }
    }

    public async ValueTask<IMuxedStream> OpenStreamAsync(CancellationToken cancellationToken)
    {
        ThrowIfCannotOpen();
        if (!_ackBacklog.Wait(0, CancellationToken.None))
        {
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _closed.Token);
            try
            {
                await _ackBacklog.WaitAsync(linked.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw CreateClosedException();
            }
        }

        YamuxStream stream;
        lock (_streamsLock)
        {
            try
            {
                ThrowIfCannotOpen();
                if (_streams.Count >= _options.MaxStreams)
                {
                    throw new YamuxException(YamuxError.StreamLimitExceeded, $"The session already has {_streams.Count} streams, the limit.");
                }

                if (_nextStreamId > uint.MaxValue - 2)
                {
                    throw new YamuxException(YamuxError.InternalError, "The session has used up its stream ids.");
                }
            }
            catch
            {
                _ackBacklog.Release();
                throw;
            }

            uint id = _nextStreamId;
            _nextStreamId += 2;
            stream = new YamuxStream(this, id, outbound: true);
            _streams.Add(id, stream);

            // The SYN goes out before any data of the stream: the data path drains control frames first.
            EnqueueControl(new YamuxHeader(YamuxFrameType.WindowUpdate, YamuxFlags.Syn, id, ExtraInitialWindow));
        }

        return stream;
    }

    public async ValueTask<IMuxedStream> AcceptStreamAsync(CancellationToken cancellationToken)
    {
        YamuxStream stream;
        try
        {
            stream = await _acceptQueue.Reader.ReadAsync(cancellationToken);
        }
        catch (ChannelClosedException)
        {
            throw CreateClosedException();
        }

        if (_aborted != 0)
        {
            throw CreateClosedException();      // streams still queued when the session failed are dead
        }

        stream.SendAck();
        return stream;
    }

    /// <summary>The window beyond the spec's 256 KiB that a new stream announces with its SYN or ACK.</summary>
    internal uint ExtraInitialWindow => (uint)(_options.InitialWindow - YamuxOptions.SpecInitialWindow);

    public void Abort(Exception? reason = null)
    {
        if (Interlocked.Exchange(ref _aborted, 1) != 0)
        {
            return;
        }

        _closeReason = reason;
        if (reason is null)
        {
            Log.SessionClosed(_logger, _isInitiator);
        }
        else
        {
            Log.SessionAborted(_logger, _isInitiator, reason.Message, reason);
        }

        YamuxError code = reason switch
        {
            null => YamuxError.Normal,
            YamuxException { Error: YamuxError.ProtocolError } => YamuxError.ProtocolError,
            YamuxException { Error: YamuxError.Normal } => YamuxError.Normal,
            _ => YamuxError.InternalError,
        };

        // The GoAway is the last frame; the write loop flushes it and completes the output (bounded by CloseTimeout).
        _control.Writer.TryWrite(new YamuxHeader(YamuxFrameType.GoAway, YamuxFlags.None, 0, (uint)code));
        _control.Writer.TryComplete();
        _writeStop.CancelAfter(_options.CloseTimeout);

        YamuxStream[] streams;
        lock (_streamsLock)
        {
            streams = [.. _streams.Values];
            _streams.Clear();
            _streamsAtClose = streams;
        }

        string message = reason is null ? "The yamux session closed." : $"The yamux session failed: {reason.Message}";
        foreach (YamuxStream stream in streams)
        {
            stream.OnSessionClosed(new StreamResetException(StreamErrorCode.ConnectionClosed, message));
        }

        _acceptQueue.Writer.TryComplete();
        try
        {
            _closed.Cancel();
        }
        catch (AggregateException ex)
        {
            Log.ClosedCallbackFailed(_logger, ex);
        }
    }

    public async ValueTask DisposeAsync()
    {
        Abort(reason: null);
        await _readLoop;
        await _keepAliveLoop;
        await _writeLoop;
        YamuxStream[] streams;
        lock (_streamsLock)
        {
            streams = _streamsAtClose;
        }

        foreach (YamuxStream stream in streams)
        {
            await stream.PendingSend;
        }

        _writeStop.Dispose();
        _writeLock.Dispose();
        _ackBacklog.Dispose();
    }

    internal void RemoveStream(YamuxStream stream)
    {
        lock (_streamsLock)
        {
            if (!_streams.TryGetValue(stream.StreamId, out YamuxStream? current) || !ReferenceEquals(current, stream))
            {
                return;
            }

            _streams.Remove(stream.StreamId);
        }

        ReleaseWindowGrowth(stream.WindowGrowth);
    }

    /// <summary>Reserves <paramref name="bytes"/> of the session's window growth budget; false when it is spent.</summary>
    internal bool TryReserveWindowGrowth(long bytes)
    {
        if (Interlocked.Add(ref _windowGrowth, bytes) <= _options.MaxSessionWindowGrowth)
        {
            return true;
        }

        Interlocked.Add(ref _windowGrowth, -bytes);
        return false;
    }

    private void ReleaseWindowGrowth(long bytes)
    {
        if (bytes > 0)
        {
            Interlocked.Add(ref _windowGrowth, -bytes);
        }
    }

    internal void ReleaseAckBacklog()
    {
        if (_aborted == 0)
        {
            _ackBacklog.Release();
        }
    }

    internal YamuxException CreateClosedException()
    {
        Exception? reason = _closeReason;
        return reason is null
            ? new YamuxException(YamuxError.SessionClosed, "The yamux session is closed.")
            : new YamuxException(YamuxError.SessionClosed, $"The yamux session is closed: {reason.Message}", reason);
    }

    private void ThrowIfCannotOpen()
    {
        if (_aborted != 0)
        {
            throw CreateClosedException();
        }

        if (_remoteGoAway)
        {
            throw new YamuxException(YamuxError.RemoteGoAway, "The peer sent a GoAway: it accepts no new streams.");
        }
    }

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Debug, Message = "Yamux session closed (initiator: {IsInitiator})")]
        public static partial void SessionClosed(ILogger logger, bool isInitiator);

        [LoggerMessage(Level = LogLevel.Information, Message = "Yamux session aborted (initiator: {IsInitiator}): {Reason}")]
        public static partial void SessionAborted(ILogger logger, bool isInitiator, string reason, Exception exception);

        [LoggerMessage(Level = LogLevel.Warning, Message = "A callback on the yamux session's Closed token failed")]
        public static partial void ClosedCallbackFailed(ILogger logger, Exception exception);
    }
}
