namespace Helia.UnixFS.Importer;

/// <summary>Chunks of exactly <see cref="ChunkSize"/> bytes, the last one shorter.</summary>
public sealed class FixedSizeChunker : Chunker
{
    /// <summary>The largest chunk accepted: 2 MiB minus room for the dag-pb and UnixFS framing of a leaf.</summary>
    public const int MaxSize = (2 * 1024 * 1024) - 1024;

    public FixedSizeChunker(int chunkSize)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(chunkSize, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(chunkSize, MaxSize);
        ChunkSize = chunkSize;
    }

    public int ChunkSize { get; }

    public override int MaxChunkSize => ChunkSize;

    public override IChunkReader Open(Stream source)
    {
        ArgumentNullException.ThrowIfNull(source);
        return new Reader(source, ChunkSize);
    }

    private sealed class Reader(Stream source, int chunkSize) : IChunkReader
    {
        public async ValueTask<int> ReadChunkAsync(Memory<byte> destination, CancellationToken cancellationToken)
        {
            return await source.ReadAtLeastAsync(destination[..chunkSize], chunkSize, throwOnEndOfStream: false, cancellationToken);
        }
    }
}
