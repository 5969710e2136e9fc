namespace Helia.UnixFS.Importer;

/// <summary>Splits a file's bytes into chunks; <see cref="Open"/> makes the per-file reader.</summary>
public abstract class Chunker
{
    /// <summary>The largest chunk this chunker produces; readers are given buffers of at least this size.</summary>
    public abstract int MaxChunkSize { get; }

    /// <summary>Starts chunking <paramref name="source"/>.</summary>
    public abstract IChunkReader Open(Stream source);

    /// <summary>Parses Kubo's --chunker syntax: <c>size-N</c> (or <c>default</c>).</summary>
    public static Chunker Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.StartsWith("size-", StringComparison.Ordinal)
            && int.TryParse(text.AsSpan(5), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int size))
        {
            return new FixedSizeChunker(size);
        }

        throw new ArgumentException($"Unsupported chunker '{text}' (supported: size-N).", nameof(text));
    }
}

/// <summary>Reads one file's chunks in order.</summary>
public interface IChunkReader
{
    /// <summary>
    /// Fills <paramref name="destination"/> (at least <see cref="Chunker.MaxChunkSize"/> bytes) with the next chunk and
    /// returns its length; 0 once the source is exhausted.
    /// </summary>
    ValueTask<int> ReadChunkAsync(Memory<byte> destination, CancellationToken cancellationToken);
}
