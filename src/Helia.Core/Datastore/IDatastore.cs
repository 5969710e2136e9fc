namespace Helia.Core.Datastore;

/// <summary>
/// A dictionary with path-like keys. A miss is normal here, so Get returns null (IDistributedCache-style); a block
/// miss is not normal (it has reasons), so IBlockstore.GetAsync throws.
/// </summary>
public interface IDatastore
{
    ValueTask<bool> HasAsync(DatastoreKey key, CancellationToken cancellationToken = default);

    /// <summary>The value, or null when the key is absent. The memory belongs to the caller.</summary>
    ValueTask<ReadOnlyMemory<byte>?> GetAsync(DatastoreKey key, CancellationToken cancellationToken = default);

    ValueTask PutAsync(DatastoreKey key, ReadOnlyMemory<byte> value, CancellationToken cancellationToken = default);

    /// <summary>Removes the key; an absent key is no error.</summary>
    ValueTask DeleteAsync(DatastoreKey key, CancellationToken cancellationToken = default);

    /// <summary>
    /// The entries at <paramref name="prefix"/> and under it (hierarchically), in ordinal key order. The caller may
    /// change the store while enumerating; entries changed meanwhile may or may not be seen.
    /// </summary>
    IAsyncEnumerable<KeyValuePair<DatastoreKey, ReadOnlyMemory<byte>>> QueryAsync(DatastoreKey prefix, CancellationToken cancellationToken = default);

    /// <summary>Puts and deletes as one unit where the store can (a transaction); the default applies them in order.</summary>
    async ValueTask BatchAsync(
        IReadOnlyCollection<KeyValuePair<DatastoreKey, ReadOnlyMemory<byte>>> puts,
        IReadOnlyCollection<DatastoreKey> deletes,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(puts);
        ArgumentNullException.ThrowIfNull(deletes);
        foreach (KeyValuePair<DatastoreKey, ReadOnlyMemory<byte>> entry in puts)
        {
            await PutAsync(entry.Key, entry.Value, cancellationToken);
        }

        foreach (DatastoreKey key in deletes)
        {
            await DeleteAsync(key, cancellationToken);
        }
    }
}
