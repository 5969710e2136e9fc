using System.Diagnostics;
using System.IO.Pipelines;
using System.Threading.Channels;
using Helia.Bitswap.Messages;
using Helia.Libp2p;
using Helia.Multiformats;
using Microsoft.Extensions.Logging;

namespace Helia.Bitswap;

/// <summary>
/// Everything we send to one peer goes through its sender: one outbound stream, opened when first needed and
/// reopened after a failure, and one owned loop that drains the queue, coalescing wantlist changes into as few
/// messages as fit and writing engine messages in order (<see cref="BitswapMessageWriter"/>: large blocks are handed to
/// the stream uncopied); the batch's writes are the back-pressure.
/// </summary>
internal sealed partial class PeerSender : IAsyncDisposable
{
    private readonly PeerId _peer;
    private readonly Func<PeerId, CancellationToken, ValueTask<IStream>> _openStream;
    private readonly int _maxMessageSize;
    private readonly ILogger _logger;
    private readonly Channel<Outgoing> _queue = Channel.CreateUnbounded<Outgoing>(new UnboundedChannelOptions { SingleReader = true });
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _loop;
    private readonly BitswapMessageWriter _writer = new();
    private IStream? _stream;
    private long _lastWrite;

    /// <summary>A stream unused for this long is replaced before the next write; well under JS Helia's 10 s receive timeout.</summary>
    internal static readonly TimeSpan IdleStreamLifetime = TimeSpan.FromSeconds(5);

    public PeerSender(PeerId peer, Func<PeerId, CancellationToken, ValueTask<IStream>> openStream, int maxMessageSize, ILogger logger)
    {
        _peer = peer;
        _openStream = openStream;
        _maxMessageSize = maxMessageSize;
        _logger = logger;
        _loop = RunAsync(_stopping.Token);
    }

    public void SendWants(IReadOnlyList<WantlistEntry> entries)
    {
        if (!_queue.Writer.TryWrite(new Outgoing(entries, null, null)))
        {
            Log.Dropped(_logger, _peer);
        }
    }

    public void Send(BitswapMessage message, Action<Exception?>? onFlushed)
    {
        if (!_queue.Writer.TryWrite(new Outgoing(null, message, onFlushed)))
        {
            onFlushed?.Invoke(new BitswapException($"Peer {_peer} is gone."));
        }
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _stopping.CancelAsync();
        try
        {
            await _loop;
        }
        catch (OperationCanceledException)
        {
        }

        if (_stream is not null)
        {
            await _stream.DisposeAsync();
        }

        while (_queue.Reader.TryRead(out Outgoing item))
        {
            item.OnFlushed?.Invoke(new BitswapException($"Peer {_peer} is gone."));
        }

        _writer.Dispose();
        _stopping.Dispose();
    }

    private async Task RunAsync(CancellationToken cancellationToken)
    {
        var batch = new List<Outgoing>();
        while (await _queue.Reader.WaitToReadAsync(cancellationToken))
        {
            batch.Clear();
            while (batch.Count < 1024 && _queue.Reader.TryRead(out Outgoing item))
            {
                batch.Add(item);
            }

            // A peer may close our stream whenever it likes (JS Helia resets an inbound Bitswap stream after 10 s
            // without a message), and we only learn it when a write fails: then the batch goes again, once, on a new
            // stream. Bitswap messages are idempotent, so one that partly arrived before the failure does no harm.
            Exception? error = null;
            for (int attempt = 0; attempt < 2; attempt++)
            {
                try
                {
                    await WriteBatchAsync(batch, cancellationToken);
                    error = null;
                    break;
                }
                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                {
                    throw;
                }
                catch (Exception ex)
                {
                    error = ex;
                    Log.SendFailed(_logger, _peer, attempt, ex);
                    await DropStreamAsync();
                }
            }

            foreach (Outgoing item in batch)
            {
                item.OnFlushed?.Invoke(error);
            }
        }
    }

    private async ValueTask DropStreamAsync()
    {
        IStream? broken = _stream;
        _stream = null;
        if (broken is not null)
        {
            broken.Reset();
            await broken.DisposeAsync();
        }
    }

    private async Task WriteBatchAsync(List<Outgoing> batch, CancellationToken cancellationToken)
    {
        if (_stream is not null && Stopwatch.GetElapsedTime(_lastWrite) > IdleStreamLifetime)
        {
            // The peer may be closing this idle stream right now (JS Helia resets an inbound Bitswap stream silent for
            // 10 s): a write racing that reset would be lost without an error. A fresh stream avoids the race.
            IStream idle = _stream;
            _stream = null;
            await idle.DisposeAsync();
        }

        _stream ??= await _openStream(_peer, cancellationToken);
        _lastWrite = Stopwatch.GetTimestamp();
        BitswapProtocolVersion version = BitswapService.VersionOf(_stream.Protocol);
        _writer.Reset();   // nothing left over from an attempt that failed part way
        var wants = new BitswapMessageBuilder(version, _maxMessageSize);
        foreach (Outgoing item in batch)
        {
            if (item.Wants is not null)
            {
                foreach (WantlistEntry entry in item.Wants)
                {
                    if (!wants.TryAdd(entry))
                    {
                        _writer.Add(wants.Build(), version);
                        wants.TryAdd(entry);
                    }
                }
            }
            else if (item.Message is not null)
            {
                if (BitswapMessageCodec.GetSize(item.Message, version) <= _maxMessageSize)
                {
                    _writer.Add(item.Message, version);
                }
                else
                {
                    foreach (BitswapMessage part in BitswapMessageBuilder.Split(item.Message, version, _maxMessageSize))
                    {
                        _writer.Add(part, version);
                    }
                }
            }
        }

        if (!wants.IsEmpty)
        {
            _writer.Add(wants.Build(), version);
        }

        // One write per run of small fields and one per large block, straight from the block's memory.
        FlushResult flushed = await _writer.WriteToAsync(_stream.Output, cancellationToken);
        if (flushed.IsCompleted)
        {
            throw new BitswapException($"The stream to {_peer} was closed.");
        }
    }

    private readonly record struct Outgoing(IReadOnlyList<WantlistEntry>? Wants, BitswapMessage? Message, Action<Exception?>? OnFlushed);

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Debug, Message = "Sending to {Peer} failed (attempt {Attempt})")]
        public static partial void SendFailed(ILogger logger, PeerId peer, int attempt, Exception exception);

        [LoggerMessage(Level = LogLevel.Debug, Message = "Dropped wants for {Peer}: its sender is closed")]
        public static partial void Dropped(ILogger logger, PeerId peer);
    }
}
