using System.Buffers;
using System.Diagnostics;
using System.IO.Pipelines;

namespace Helia.Libp2p.Muxing.Yamux;

// The read side: ReadAsync, parse every complete header, hand data to its stream as it arrives (a frame may be larger
// than the channel's buffer, so a payload is delivered in pieces), AdvanceTo(consumed, examined). Every length is
// checked against the stream's window before anything is buffered. Nothing here waits on the peer or on a stream.
internal sealed partial class YamuxConnection
{
    private readonly Lock _pingLock = new();
    private uint _payloadRemaining;
    private YamuxStream? _payloadStream;
    private YamuxFlags _payloadFlags;
    private uint _pingId;
    private long _pingSentAt;
    private bool _pingOutstanding;
    private long _roundTripTicks;

    /// <summary>The last measured round-trip time in <see cref="Stopwatch"/> ticks, 0 before the first pong.</summary>
    internal long RoundTripTicks => Volatile.Read(ref _roundTripTicks);

    private async Task RunReadLoopAsync()
    {
        Exception? error = null;
        try
        {
            await ReadFramesAsync(_closed.Token);
        }
        catch (OperationCanceledException) when (_closed.IsCancellationRequested)
        {
        }
        catch (Exception ex)
        {
            error = ex;
        }

        Abort(error);                            // null: the peer closed the channel cleanly
        await _input.CompleteAsync();
    }

    private async Task ReadFramesAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            ReadResult result = await _input.ReadAsync(cancellationToken);
            ReadOnlySequence<byte> buffer = result.Buffer;
            try
            {
                ReadFrames(ref buffer);
                if (result.IsCompleted)
                {
                    if (!buffer.IsEmpty || _payloadRemaining > 0)
                    {
                        throw new YamuxException(YamuxError.ProtocolError, "The channel closed in the middle of a yamux frame.");
                    }

                    return;
                }
            }
            finally
            {
                _input.AdvanceTo(buffer.Start, buffer.End);   // consumed what we parsed, examined the rest
            }
        }
    }

    /// <summary>Handles every complete header and every available payload byte in <paramref name="buffer"/>.</summary>
    private void ReadFrames(ref ReadOnlySequence<byte> buffer)
    {
        while (true)
        {
            if (_payloadRemaining > 0)
            {
                if (buffer.IsEmpty)
                {
                    return;
                }

                int length = (int)Math.Min(buffer.Length, _payloadRemaining);
                ReadOnlySequence<byte> chunk = buffer.Slice(0, length);
                _payloadStream?.Deliver(chunk);
                buffer = buffer.Slice(chunk.End);
                _payloadRemaining -= (uint)length;
                if (_payloadRemaining == 0)
                {
                    EndPayload();
                }

                continue;
            }

            if (!YamuxHeader.TryRead(ref buffer, out YamuxHeader header))
            {
                return;
            }

            HandleFrame(header);
        }
    }

    private void HandleFrame(YamuxHeader header)
    {
        switch (header.Type)
        {
            case YamuxFrameType.Data:
            case YamuxFrameType.WindowUpdate:
                HandleStreamFrame(header);
                break;
            case YamuxFrameType.Ping:
                HandlePing(header);
                break;
            case YamuxFrameType.GoAway:
                HandleGoAway(header);
                break;
            default:
                throw new YamuxException(YamuxError.ProtocolError, $"Unknown yamux frame type {(byte)header.Type}.");
        }
    }

    private void HandleStreamFrame(YamuxHeader header)
    {
        if (header.StreamId == 0)
        {
            throw new YamuxException(YamuxError.ProtocolError, $"A {header.Type} frame on stream 0, which is reserved for the session.");
        }

        YamuxStream? stream;
        if ((header.Flags & YamuxFlags.Syn) != 0)
        {
            stream = AcceptInbound(header.StreamId);
        }
        else
        {
            lock (_streamsLock)
            {
                _streams.TryGetValue(header.StreamId, out stream);
            }
        }

        uint length = header.Type == YamuxFrameType.Data ? header.Length : 0;
        if (stream is null)
        {
            // Frames for a stream we reset or refused are normal (they crossed our RST): drop their data.
            if (length > _options.MaxReceiveWindow)
            {
                throw new YamuxException(YamuxError.ProtocolError, $"A data frame of {length} bytes exceeds the largest window ({_options.MaxReceiveWindow}).");
            }

            BeginPayload(null, length, YamuxFlags.None);
            return;
        }

        if ((header.Flags & (YamuxFlags.Ack | YamuxFlags.Fin)) != 0)
        {
            stream.OnAck();                          // a FIN also shows the peer has the stream: it leaves the ACK backlog
        }

        if (header.Type == YamuxFrameType.WindowUpdate)
        {
            stream.OnWindowUpdate(header.Length);
        }
        else
        {
            stream.OnDataHeader(length);
        }

        BeginPayload(stream, length, header.Flags & (YamuxFlags.Fin | YamuxFlags.Rst));
    }

    private void BeginPayload(YamuxStream? stream, uint length, YamuxFlags flags)
    {
        _payloadStream = stream;
        _payloadFlags = flags;
        _payloadRemaining = length;
        if (length == 0)
        {
            EndPayload();
        }
    }

    private void EndPayload()
    {
        YamuxStream? stream = _payloadStream;
        YamuxFlags flags = _payloadFlags;
        _payloadStream = null;
        _payloadFlags = YamuxFlags.None;
        if (stream is null)
        {
            return;
        }

        if ((flags & YamuxFlags.Rst) != 0)
        {
            stream.OnRemoteReset();
        }
        else if ((flags & YamuxFlags.Fin) != 0)
        {
            stream.OnRemoteFin();
        }
    }

    private YamuxStream? AcceptInbound(uint id)
    {
        // The initiator (client) uses odd ids, the responder (server) even ones.
        bool remoteIsInitiator = !_isInitiator;
        if ((id % 2 == 1) != remoteIsInitiator)
        {
            throw new YamuxException(
                YamuxError.ProtocolError,
                $"The peer opened stream {id}, an id of the wrong side (the peer is the {(remoteIsInitiator ? "initiator: odd" : "responder: even")} ids).");
        }

        YamuxStream stream;
        lock (_streamsLock)
        {
            if (_streams.ContainsKey(id))
            {
                throw new YamuxException(YamuxError.ProtocolError, $"The peer opened stream {id}, which is already open.");
            }

            if (_aborted != 0 || _streams.Count >= _options.MaxStreams || _acceptQueue.Reader.Count >= _options.AcceptBacklog)
            {
                stream = null!;
            }
            else
            {
                stream = new YamuxStream(this, id, outbound: false);
                _streams.Add(id, stream);
                if (!_acceptQueue.Writer.TryWrite(stream))
                {
                    _streams.Remove(id);
                    stream.OnSessionClosed(new StreamResetException(StreamErrorCode.LimitExceeded, "The accept backlog is full."));
                    stream = null!;
                }
            }
        }

        if (stream is null)
        {
            EnqueueControl(new YamuxHeader(YamuxFrameType.WindowUpdate, YamuxFlags.Rst, id, 0));
            return null;
        }

        return stream;
    }

    private void HandlePing(YamuxHeader header)
    {
        if ((header.Flags & YamuxFlags.Syn) != 0)
        {
            // Answer, but never let a ping flood queue unbounded answers: drop the excess.
            if (Interlocked.Increment(ref _pendingPongs) > MaxPendingPongs)
            {
                Interlocked.Decrement(ref _pendingPongs);
                return;
            }

            EnqueueControl(new YamuxHeader(YamuxFrameType.Ping, YamuxFlags.Ack, 0, header.Length));
        }
        else if ((header.Flags & YamuxFlags.Ack) != 0)
        {
            lock (_pingLock)
            {
                if (_pingOutstanding && header.Length == _pingId)
                {
                    _pingOutstanding = false;
                    Volatile.Write(ref _roundTripTicks, Math.Max(1, Stopwatch.GetTimestamp() - _pingSentAt));
                }
            }
        }
    }

    private void HandleGoAway(YamuxHeader header)
    {
        switch ((YamuxError)header.Length)
        {
            case YamuxError.Normal:
                _remoteGoAway = true;        // no new streams; the open ones go on until the peer closes
                break;
            case YamuxError.ProtocolError:
                throw new YamuxException(YamuxError.ProtocolError, "The peer closed the session: it reports a protocol error on our side.");
            case YamuxError.InternalError:
                throw new YamuxException(YamuxError.InternalError, "The peer closed the session after an internal error.");
            default:
                throw new YamuxException(YamuxError.ProtocolError, $"The peer sent a GoAway with unknown code {header.Length}.");
        }
    }

    /// <summary>Sends a ping unless one is still unanswered; returns false if the last one got no answer.</summary>
    private bool SendPing()
    {
        uint id;
        lock (_pingLock)
        {
            if (_pingOutstanding)
            {
                return false;
            }

            id = ++_pingId;
            _pingOutstanding = true;
            _pingSentAt = Stopwatch.GetTimestamp();
        }

        EnqueueControl(new YamuxHeader(YamuxFrameType.Ping, YamuxFlags.Syn, 0, id));
        return true;
    }

    private async Task RunKeepAliveLoopAsync()
    {
        SendPing();                              // measures the round-trip time that window auto-tuning uses
        if (_options.KeepAliveInterval <= TimeSpan.Zero)
        {
            return;
        }

        using var timer = new PeriodicTimer(_options.KeepAliveInterval);
        try
        {
            while (await timer.WaitForNextTickAsync(_closed.Token))
            {
                if (!SendPing())
                {
                    Abort(new YamuxException(YamuxError.KeepAliveTimeout, $"The peer did not answer a ping within {_options.KeepAliveInterval}."));
                    return;
                }
            }
        }
        catch (OperationCanceledException) when (_closed.IsCancellationRequested)
        {
        }
    }
}
