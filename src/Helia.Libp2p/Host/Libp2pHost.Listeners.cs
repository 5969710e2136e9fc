using Helia.Multiformats;
using Microsoft.Extensions.Logging;

namespace Helia.Libp2p.Host;

public sealed partial class Libp2pHost
{
    /// <summary>
    /// Listens on one more address while the host runs and returns the bound address (port filled in). Connected
    /// peers hear of it by identify push and the local network by an unsolicited mDNS response.
    /// </summary>
    public async ValueTask<Multiaddr> ListenAsync(Multiaddr address, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(address);
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        if (Volatile.Read(ref _started) == 0)
        {
            throw new InvalidOperationException("Start the host first, or put the address in Libp2pHostOptions.ListenAddresses.");
        }

        Multiaddr bound = await AddListenerAsync(address, cancellationToken);
        Log.ListenerAdded(_logger, bound);
        OnAddressesChanged();
        return bound;
    }

    /// <summary>
    /// Closes the listener bound to <paramref name="address"/> (as in <see cref="ListenAddresses"/>); connections it
    /// accepted stay open. Connected peers and the local network hear of the change as with <see cref="ListenAsync"/>.
    /// Returns false when no listener has that address. The token is honoured only before anything changes: once the
    /// listener is taken out, its close (which waits on no peer) and the announcement always complete, so the
    /// addresses we announce never differ from the listeners we have.
    /// </summary>
    public async ValueTask<bool> StopListeningAsync(Multiaddr address, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(address);
        cancellationToken.ThrowIfCancellationRequested();
        Listener? found;
        lock (_lock)
        {
            found = _listeners.Find(l => l.Address == address);
            if (found is not null)
            {
                _listeners.Remove(found);
                _listenAddresses = [.. _listeners.Select(l => l.Address)];
            }
        }

        if (found is null)
        {
            return false;
        }

        await found.StopAsync();
        Log.ListenerRemoved(_logger, address);
        OnAddressesChanged();
        return true;
    }

    private async Task<Multiaddr> AddListenerAsync(Multiaddr address, CancellationToken cancellationToken)
    {
        ITransport transport = _transports.FirstOrDefault(t => t.CanDial(address))
            ?? throw new ArgumentException($"No transport can listen on {address}.", nameof(address));
        ITransportListener transportListener = await transport.ListenAsync(address, cancellationToken);
        var listener = new Listener(transportListener, CancellationTokenSource.CreateLinkedTokenSource(_stopping.Token));
        bool added = false;
        lock (_lock)
        {
            if (!_stopping.IsCancellationRequested)
            {
                _listeners.Add(listener);
                _listenAddresses = [.. _listeners.Select(l => l.Address)];
                added = true;
            }
        }

        if (!added)
        {
            await listener.StopAsync();
            throw new ObjectDisposedException(nameof(Libp2pHost), "The host stopped while the listener was being opened.");
        }

        listener.Loop = RunAcceptLoopAsync(listener);
        return listener.Address;
    }

    // The accept loop of one listener. If it ends while nobody stopped it (the listener failed), the address is
    // withdrawn and announced as gone.
    private async Task RunAcceptLoopAsync(Listener listener)
    {
        await Task.Yield();
        await RunLoopAsync(ct => AcceptAsync(listener.TransportListener, ct), "accept", listener.Stopping.Token);
        if (listener.Stopping.IsCancellationRequested)
        {
            return;
        }

        bool removed;
        lock (_lock)
        {
            removed = _listeners.Remove(listener);
            if (removed)
            {
                _listenAddresses = [.. _listeners.Select(l => l.Address)];
            }
        }

        if (removed)
        {
            Log.ListenerRemoved(_logger, listener.Address);
            await listener.TransportListener.DisposeAsync();
            listener.Stopping.Dispose();   // out of the list, so no StopAsync will touch it
            OnAddressesChanged();
        }
    }

    // Our addresses changed: push identify to connected peers and announce on mDNS (both merge bursts of changes).
    private void OnAddressesChanged()
    {
        if (_stopping.IsCancellationRequested)
        {
            return;
        }

        if (_options.EnableIdentify)
        {
            _pushRequests.Writer.TryWrite(true);
        }

        _mdns?.RequestAnnouncement();
    }

    /// <summary>A transport listener with its own stop signal and accept loop.</summary>
    private sealed class Listener(ITransportListener transportListener, CancellationTokenSource stopping)
    {
        private int _stopped;

        public ITransportListener TransportListener { get; } = transportListener;

        public Multiaddr Address { get; } = transportListener.Address;

        public CancellationTokenSource Stopping { get; } = stopping;

        public Task Loop { get; set; } = Task.CompletedTask;

        public async Task StopAsync()
        {
            if (Interlocked.Exchange(ref _stopped, 1) != 0)
            {
                return;
            }

            await Stopping.CancelAsync();
            await TransportListener.DisposeAsync();
            await Loop;
            Stopping.Dispose();
        }
    }

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Information, Message = "Now listening on {Address}")]
        public static partial void ListenerAdded(ILogger logger, Multiaddr address);

        [LoggerMessage(Level = LogLevel.Information, Message = "No longer listening on {Address}")]
        public static partial void ListenerRemoved(ILogger logger, Multiaddr address);
    }
}
