using System.Collections.Concurrent;
using System.Diagnostics;
using System.IO.Pipelines;
using Helia.Libp2p.Negotiation;
using Helia.Multiformats;
using Microsoft.Extensions.Logging;

namespace Helia.Libp2p.Host;

/// <summary>
/// A secured, multiplexed connection made by <see cref="ConnectionUpgrader"/>. It owns its accept loop: each inbound
/// stream negotiates its protocol against the <see cref="ProtocolRegistry"/> and runs that handler (returning disposes
/// the stream, throwing resets it and is logged; a protocol over its inbound limit is reset).
/// </summary>
public sealed partial class Libp2pConnection : IConnection, IAsyncDisposable
{
    private readonly ITransportConnection _transport;
    private readonly SecureChannel _channel;
    private readonly IMuxedConnection _muxed;
    private readonly ProtocolRegistry _protocols;
    private readonly ConnectionUpgraderOptions _options;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _closed;
    private readonly TaskCompletionSource _handlersDone = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly ConcurrentDictionary<string, int> _inboundCounts = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, int> _outboundCounts = new(StringComparer.Ordinal);
    private readonly Task _acceptLoop;
    private int _disposed;
    private int _activeHandlers = 1;                // the accept loop holds one count until it ends
    private int _openStreams;                       // inbound and outbound, negotiating or negotiated
    private long _lastActivity = Stopwatch.GetTimestamp();

    internal Libp2pConnection(
        ITransportConnection transport, SecureChannel channel, IMuxedConnection muxed, bool isInitiator,
        ProtocolRegistry protocols, ConnectionUpgraderOptions options, ILogger logger)
    {
        _transport = transport;
        _channel = channel;
        _muxed = muxed;
        _protocols = protocols;
        _options = options;
        _logger = logger;
        IsInitiator = isInitiator;
        _closed = CancellationTokenSource.CreateLinkedTokenSource(muxed.Closed, transport.Closed);
        _acceptLoop = RunAcceptLoopAsync();
    }

    public PeerId RemotePeer => _channel.RemotePeer;

    /// <summary>The remote identity key (libp2p PublicKey protobuf bytes), as authenticated by the handshake.</summary>
    public ReadOnlyMemory<byte> RemotePublicKey => _channel.RemotePublicKey;

    public Multiaddr RemoteAddress => _transport.RemoteAddress;

    public Multiaddr LocalAddress => _transport.LocalAddress;

    public bool IsInitiator { get; }

    public CancellationToken Closed => _closed.Token;

    /// <summary>Streams open now, inbound and outbound (including those still negotiating their protocol).</summary>
    public int OpenStreamCount => Volatile.Read(ref _openStreams);

    /// <summary>
    /// True when no stream is open and none opened or closed within <paramref name="timeout"/> before
    /// <paramref name="now"/> (a <see cref="Stopwatch"/> timestamp): with no stream, no application data can flow.
    /// </summary>
    public bool IsIdle(TimeSpan timeout, long now) =>
        Volatile.Read(ref _openStreams) == 0 && Stopwatch.GetElapsedTime(Volatile.Read(ref _lastActivity), now) >= timeout;

    private void StreamOpened()
    {
        Interlocked.Increment(ref _openStreams);
        Volatile.Write(ref _lastActivity, Stopwatch.GetTimestamp());
    }

    private void StreamClosed()
    {
        Volatile.Write(ref _lastActivity, Stopwatch.GetTimestamp());
        Interlocked.Decrement(ref _openStreams);
    }

    public async ValueTask<IStream> NewStreamAsync(IReadOnlyList<string> protocols, CancellationToken cancellationToken)
    {
        StreamOpened();
        IMuxedStream stream;
        try
        {
            stream = await _muxed.OpenStreamAsync(cancellationToken);
        }
        catch
        {
            StreamClosed();
            throw;
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _closed.Token);
        timeout.CancelAfter(_options.StreamNegotiationTimeout);
        string? reserved = null;
        try
        {
            if (protocols.Count == 1 && _options.LazyStreamNegotiation)
            {
                reserved = ReserveOutbound(protocols[0]);
                IDuplexPipe lazy = await MultistreamSelect.SelectLazilyAsync(stream, protocols[0], timeout.Token);
                return new Libp2pStream(stream, protocols[0], this, lazy.Input, () => ReleaseOutbound(protocols[0], closed: true));
            }

            string protocol = await MultistreamSelect.SelectAsync(stream, protocols, timeout.Token);
            reserved = ReserveOutbound(protocol);
            return new Libp2pStream(stream, protocol, this, onDisposed: () => ReleaseOutbound(protocol, closed: true));
        }
        catch (Exception ex)
        {
            if (reserved is not null)
            {
                ReleaseOutbound(reserved);
            }

            StreamClosed();

            stream.Reset(ex is StreamLimitExceededException ? StreamErrorCode.LimitExceeded : StreamErrorCode.ProtocolError);
            await stream.DisposeAsync();
            if (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested)
            {
                throw new TimeoutException($"Negotiating {string.Join(", ", protocols)} with {RemotePeer} timed out or the connection closed.", ex);
            }

            throw;
        }
    }

    /// <summary>Counts one more open outbound stream of <paramref name="protocol"/>, refusing it over the protocol's limit.</summary>
    private string ReserveOutbound(string protocol)
    {
        int limit = _protocols.TryGet(protocol, out _, out StreamHandlerOptions options)
            ? options.MaxOutboundStreams
            : StreamHandlerOptions.DefaultMaxOutboundStreams;
        if (_outboundCounts.AddOrUpdate(protocol, 1, static (_, n) => n + 1) > limit)
        {
            ReleaseOutbound(protocol);
            throw new StreamLimitExceededException(protocol, RemotePeer, limit);
        }

        return protocol;
    }

    private void ReleaseOutbound(string protocol, bool closed = false)
    {
        _outboundCounts.AddOrUpdate(protocol, 0, static (_, n) => n - 1);
        if (closed)
        {
            StreamClosed();
        }
    }

    public async ValueTask CloseAsync(CancellationToken cancellationToken = default) => await DisposeAsync();

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            await _acceptLoop;
            return;
        }

        await _muxed.DisposeAsync();
        await _channel.DisposeAsync();
        await _transport.DisposeAsync();
        await _closed.CancelAsync();
        await _acceptLoop;
        await _handlersDone.Task;
        _closed.Dispose();
    }

    private async Task RunAcceptLoopAsync()
    {
        await Task.Yield();
        try
        {
            while (!_closed.IsCancellationRequested)
            {
                IMuxedStream stream = await _muxed.AcceptStreamAsync(_closed.Token);
                StreamOpened();
                Interlocked.Increment(ref _activeHandlers);
                Task handler = HandleInboundAsync(stream);   // owned through _activeHandlers; it catches everything
                Debug.Assert(handler is not null);
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or Libp2pException or ObjectDisposedException)
        {
            // The connection closed: nothing more to accept.
        }
        finally
        {
            await _closed.CancelAsync();
            ReleaseHandler();
        }
    }

    private void ReleaseHandler()
    {
        if (Interlocked.Decrement(ref _activeHandlers) == 0)
        {
            _handlersDone.TrySetResult();
        }
    }

    private async Task HandleInboundAsync(IMuxedStream stream)
    {
        await Task.Yield();
        string? protocol = null;
        bool counted = false;
        try
        {
            using (var timeout = CancellationTokenSource.CreateLinkedTokenSource(_closed.Token))
            {
                timeout.CancelAfter(_options.StreamNegotiationTimeout);
                protocol = await MultistreamSelect.ListenAsync(stream, _protocols.Contains, () => _protocols.Protocols, timeout.Token);
            }

            if (!_protocols.TryGet(protocol, out StreamHandler handler, out StreamHandlerOptions options))
            {
                throw new MultistreamException($"The handler for {protocol} was removed during negotiation.");
            }

            counted = true;
            if (_inboundCounts.AddOrUpdate(protocol, 1, static (_, n) => n + 1) > options.MaxInboundStreams)
            {
                Log.InboundLimit(_logger, protocol, RemotePeer, options.MaxInboundStreams);
                stream.Reset(StreamErrorCode.LimitExceeded);
                return;
            }

            var negotiated = new Libp2pStream(stream, protocol, this);
            try
            {
                await handler(negotiated, _closed.Token);
            }
            finally
            {
                await negotiated.DisposeAsync();
            }
        }
        catch (Exception ex)
        {
            Log.InboundStreamFailed(_logger, protocol ?? "(negotiating)", RemotePeer, ex.Message, ex);
            stream.Reset(ex is MultistreamException ? StreamErrorCode.ProtocolError : StreamErrorCode.Cancelled);
        }
        finally
        {
            if (counted)
            {
                _inboundCounts.AddOrUpdate(protocol!, 0, static (_, n) => n - 1);
            }

            await stream.DisposeAsync();
            StreamClosed();
            ReleaseHandler();
        }
    }

    public override string ToString() => $"{RemotePeer} at {RemoteAddress} ({(IsInitiator ? "outbound" : "inbound")})";

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Debug, Message = "Inbound {Protocol} stream from {Peer} failed: {Reason}")]
        public static partial void InboundStreamFailed(ILogger logger, string protocol, PeerId peer, string reason, Exception exception);

        [LoggerMessage(Level = LogLevel.Debug, Message = "Inbound {Protocol} stream from {Peer} reset: over the limit of {Limit}")]
        public static partial void InboundLimit(ILogger logger, string protocol, PeerId peer, int limit);
    }
}
