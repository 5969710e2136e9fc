using System.Runtime.CompilerServices;

namespace Helia.Core.Datastore;

/// <summary>An in-memory datastore, for tests and ephemeral nodes.</summary>
public sealed class MemoryDatastore : IDatastore
{
    private readonly SortedDictionary<DatastoreKey, byte[]> _entries = [];
    private readonly Lock _lock = new();

    public ValueTask<bool> HasAsync(DatastoreKey key, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            return ValueTask.FromResult(_entries.ContainsKey(key));
        }
    }

    public ValueTask<ReadOnlyMemory<byte>?> GetAsync(DatastoreKey key, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            // Stored arrays are never changed (a put replaces the array), so handing them out is safe.
            return ValueTask.FromResult<ReadOnlyMemory<byte>?>(_entries.TryGetValue(key, out byte[]? value) ? new ReadOnlyMemory<byte>(value) : (ReadOnlyMemory<byte>?)null);
        }
    }

    public ValueTask PutAsync(DatastoreKey key, ReadOnlyMemory<byte> value, CancellationToken cancellationToken = default)
    {
        byte[] copy = value.ToArray();
        lock (_lock)
        {
            _entries[key] = copy;
        }

        return ValueTask.CompletedTask;
    }

    public ValueTask DeleteAsync(DatastoreKey key, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            _entries.Remove(key);
        }

        return ValueTask.CompletedTask;
    }

    public ValueTask BatchAsync(
        IReadOnlyCollection<KeyValuePair<DatastoreKey, ReadOnlyMemory<byte>>> puts,
        IReadOnlyCollection<DatastoreKey> deletes,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(puts);
        ArgumentNullException.ThrowIfNull(deletes);
        lock (_lock)
        {
            foreach (KeyValuePair<DatastoreKey, ReadOnlyMemory<byte>> entry in puts)
            {
                _entries[entry.Key] = entry.Value.ToArray();
            }

            foreach (DatastoreKey key in deletes)
            {
                _entries.Remove(key);
            }
        }

        return ValueTask.CompletedTask;
    }

    public async IAsyncEnumerable<KeyValuePair<DatastoreKey, ReadOnlyMemory<byte>>> QueryAsync(
        DatastoreKey prefix, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await Task.CompletedTask;
        List<KeyValuePair<DatastoreKey, ReadOnlyMemory<byte>>> matches = [];
        lock (_lock)
        {
            foreach (KeyValuePair<DatastoreKey, byte[]> entry in _entries)
            {
                if (entry.Key.IsUnder(prefix))
                {
                    matches.Add(new(entry.Key, entry.Value));
                }
            }
        }

        foreach (KeyValuePair<DatastoreKey, ReadOnlyMemory<byte>> entry in matches)
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return entry;
        }
    }
}
