namespace Helia.Core.Datastore;

public sealed class SqliteDatastoreOptions
{
    public const int DefaultQueryPageSize = 256;

    /// <summary>
    /// Flush every commit to disk (SQLite synchronous=FULL). Off (the default, synchronous=NORMAL in WAL mode), a
    /// process crash loses nothing committed and a power cut may lose the last commits, never the file.
    /// </summary>
    public bool Durable { get; init; }

    /// <summary>How many entries a query reads per round trip; the lock is not held while the caller handles them.</summary>
    public int QueryPageSize { get; init; } = DefaultQueryPageSize;

    public void Validate()
    {
        if (QueryPageSize <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(QueryPageSize), QueryPageSize, "The page size must be positive.");
        }
    }
}
