namespace Helia.UnixFS.Importer;

/// <summary>Splits a file's bytes into chunks; <see cref="Open"/> makes the per-file reader.</summary>
public abstract class Chunker
{
    /// <summary>The largest chunk this chunker produces; readers are given buffers of at least this size.</summary>
    public abstract int MaxChunkSize { get; }

    /// <summary>Starts chunking <paramref name="source"/>.</summary>
    public abstract IChunkReader Open(Stream source);

    /// <summary>
    /// Parses Kubo's --chunker syntax: <c>size-N</c>, <c>rabin</c> (average 256 KiB), <c>rabin-AVG</c> (minimum AVG/3,
    /// maximum AVG*1.5) or <c>rabin-MIN-AVG-MAX</c> (each optionally labelled, as in <c>rabin-min:16-avg:64-max:128</c>).
    /// </summary>
    /// <exception cref="ArgumentException">The text is not one of these, or its sizes are out of range.</exception>
    public static Chunker Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        string[] parts = text.Split('-');
        if (parts[0] == "size" && parts.Length == 2)
        {
            int size = ParseSize(parts[1], null, text);
            if (size is < 1 or > FixedSizeChunker.MaxSize)
            {
                throw new ArgumentException($"Chunk size {size} in '{text}' is out of range (1 to {FixedSizeChunker.MaxSize}).", nameof(text));
            }

            return new FixedSizeChunker(size);
        }

        if (parts[0] == "rabin")
        {
            switch (parts.Length)
            {
                case 1:
                    return RabinChunker.FromAverage(RabinChunker.DefaultAverageSize);
                case 2:
                    return RabinChunker.FromAverage(ParseSize(parts[1], null, text));
                case 4:
                    return new RabinChunker(ParseSize(parts[1], "min", text), ParseSize(parts[2], "avg", text), ParseSize(parts[3], "max", text));
            }
        }

        throw new ArgumentException($"Unsupported chunker '{text}' (expected size-N, rabin, rabin-AVG or rabin-MIN-AVG-MAX).", nameof(text));
    }

    private static int ParseSize(string part, string? label, string text)
    {
        ReadOnlySpan<char> digits = part;
        if (label is not null && part.StartsWith(label + ":", StringComparison.Ordinal))
        {
            digits = digits[(label.Length + 1)..];
        }

        if (!int.TryParse(digits, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int size))
        {
            throw new ArgumentException($"'{part}' in chunker '{text}' is not a size in bytes.", nameof(text));
        }

        return size;
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
