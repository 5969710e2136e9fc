using System.IO.Pipelines;
using System.Threading.Channels;
using Helia.Multiformats;

namespace Helia.Libp2p.Transports.Memory;

/// <summary>
/// An in-process transport on /memory/&lt;name&gt; addresses (as rust-libp2p's MemoryTransport), for tests and in-process
/// nodes. Listeners live in a <see cref="MemoryTransportHub"/>; listening on /memory/0 picks a fresh name.
/// </summary>
public sealed class MemoryTransport(MemoryTransportHub? hub = null) : ITransport
{
    private readonly MemoryTransportHub _hub = hub ?? MemoryTransportHub.Shared;

    public bool CanDial(Multiaddr address)
    {
        Multiaddr bare = address.WithoutPeerId();
        return bare.Components.Count == 1 && bare.Components[0].Protocol == MultiaddrProtocol.Memory;
    }

    public ValueTask<ITransportConnection> DialAsync(Multiaddr address, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        string name = GetName(address);
        if (!_hub.TryGet(name, out MemoryListener? listener))
        {
            throw new Libp2pException($"Nothing listens on {address}.");
        }

        var toListener = new Pipe();
        var toDialer = new Pipe();
        var link = new CancellationTokenSource();
        Multiaddr listenerAddress = listener.Address;
        Multiaddr dialerAddress = Multiaddr.Parse($"/memory/{_hub.NextName()}");
        var dialerSide = new MemoryConnection(toDialer.Reader, toListener.Writer, dialerAddress, listenerAddress, link);
        var listenerSide = new MemoryConnection(toListener.Reader, toDialer.Writer, listenerAddress, dialerAddress, link);
        if (!listener.TryEnqueue(listenerSide))
        {
            throw new Libp2pException($"The listener on {address} is closed.");
        }

        return ValueTask.FromResult<ITransportConnection>(dialerSide);
    }

    public ValueTask<ITransportListener> ListenAsync(Multiaddr address, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        string name = GetName(address);
        if (name == "0")
        {
            name = _hub.NextName();
        }

        var listener = new MemoryListener(Multiaddr.Parse($"/memory/{name}"), name, _hub);
        if (!_hub.TryAdd(name, listener))
        {
            throw new Libp2pException($"Something already listens on /memory/{name}.");
        }

        return ValueTask.FromResult<ITransportListener>(listener);
    }

    private string GetName(Multiaddr address) => CanDial(address)
        ? address.WithoutPeerId().Components[0].ValueText
        : throw new ArgumentException($"{address} is not a /memory/<name> address.", nameof(address));

    private sealed class MemoryListener(Multiaddr address, string name, MemoryTransportHub hub) : ITransportListener
    {
        private readonly Channel<MemoryConnection> _pending = Channel.CreateUnbounded<MemoryConnection>();

        public Multiaddr Address { get; } = address;

        public bool TryEnqueue(MemoryConnection connection) => _pending.Writer.TryWrite(connection);

        public async ValueTask<ITransportConnection> AcceptAsync(CancellationToken cancellationToken)
        {
            try
            {
                return await _pending.Reader.ReadAsync(cancellationToken);
            }
            catch (ChannelClosedException ex)
            {
                throw new OperationCanceledException("The listener was disposed.", ex);
            }
        }

        public ValueTask DisposeAsync()
        {
            hub.Remove(name, this);
            _pending.Writer.TryComplete();
            return ValueTask.CompletedTask;
        }
    }

    private sealed class MemoryConnection(PipeReader input, PipeWriter output, Multiaddr local, Multiaddr remote, CancellationTokenSource link)
        : ITransportConnection
    {
        public PipeReader Input { get; } = input;

        public PipeWriter Output { get; } = output;

        public Multiaddr LocalAddress { get; } = local;

        public Multiaddr RemoteAddress { get; } = remote;

        public CancellationToken Closed => link.Token;

        public void Abort(Exception? reason = null)
        {
            Output.Complete(reason ?? new Libp2pException("The memory connection was aborted."));
            Input.CancelPendingRead();
            link.Cancel();
        }

        public async ValueTask DisposeAsync()
        {
            await Output.CompleteAsync();
            await link.CancelAsync();
        }
    }
}
