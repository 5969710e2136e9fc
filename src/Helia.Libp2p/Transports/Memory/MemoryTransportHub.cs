using System.Collections.Concurrent;
using System.Globalization;

namespace Helia.Libp2p.Transports.Memory;

/// <summary>The registry of memory listeners by name; tests can make a private hub.</summary>
public sealed class MemoryTransportHub
{
    private readonly ConcurrentDictionary<string, object> _listeners = new();
    private long _next;

    public static MemoryTransportHub Shared { get; } = new();

    internal string NextName() =>
        (Interlocked.Increment(ref _next) + (1L << 32)).ToString(CultureInfo.InvariantCulture);

    internal bool TryAdd<T>(string name, T listener)
        where T : class => _listeners.TryAdd(name, listener);

    internal bool TryGet<T>(string name, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out T? listener)
        where T : class
    {
        listener = _listeners.TryGetValue(name, out object? value) ? value as T : null;
        return listener is not null;
    }

    internal void Remove(string name, object listener) => _listeners.TryRemove(new KeyValuePair<string, object>(name, listener));
}
