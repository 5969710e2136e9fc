using System.Collections.Concurrent;

namespace Helia.Libp2p.Host;

/// <summary>
/// The stream handlers a node serves, by protocol ID: what inbound multistream negotiation accepts and which handler
/// then runs. Thread-safe; <see cref="Add"/> returns the registration, and disposing it removes that handler.
/// </summary>
public sealed class ProtocolRegistry
{
    private readonly ConcurrentDictionary<string, Registration> _handlers = new(StringComparer.Ordinal);

    /// <summary>The registered protocol IDs (the answer to multistream's <c>ls</c>, and identify's protocol list).</summary>
    public IReadOnlyCollection<string> Protocols => [.. _handlers.Keys];

    /// <summary>Raised after a protocol is added or removed (identify push listens to this).</summary>
    public event EventHandler? Changed;

    public IDisposable Add(string protocolId, StreamHandler handler, StreamHandlerOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(protocolId);
        ArgumentNullException.ThrowIfNull(handler);
        var registration = new Registration(this, protocolId, handler, options ?? new StreamHandlerOptions());
        if (!_handlers.TryAdd(protocolId, registration))
        {
            throw new InvalidOperationException($"A handler for {protocolId} is already registered.");
        }

        Changed?.Invoke(this, EventArgs.Empty);
        return registration;
    }

    public bool Contains(string protocolId) => _handlers.ContainsKey(protocolId);

    public bool TryGet(string protocolId, out StreamHandler handler, out StreamHandlerOptions options)
    {
        if (_handlers.TryGetValue(protocolId, out Registration? registration))
        {
            handler = registration.Handler;
            options = registration.Options;
            return true;
        }

        handler = null!;
        options = null!;
        return false;
    }

    private void Remove(Registration registration)
    {
        if (_handlers.TryRemove(new KeyValuePair<string, Registration>(registration.ProtocolId, registration)))
        {
            Changed?.Invoke(this, EventArgs.Empty);
        }
    }

    private sealed class Registration(ProtocolRegistry owner, string protocolId, StreamHandler handler, StreamHandlerOptions options) : IDisposable
    {
        public string ProtocolId { get; } = protocolId;

        public StreamHandler Handler { get; } = handler;

        public StreamHandlerOptions Options { get; } = options;

        public void Dispose() => owner.Remove(this);
    }
}
