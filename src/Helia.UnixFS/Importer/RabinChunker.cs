using System.Numerics;

namespace Helia.UnixFS.Importer;

/// <summary>
/// Content-defined chunks cut by a Rabin fingerprint over a sliding 16-byte window, with the boundaries of JS Helia's
/// ipfs-unixfs-importer (its rabin chunker, rabin-wasm 0.1.5): the irreducible polynomial 0x3DA3358B4DC173 (degree 53),
/// a cut after the byte where the chunk is at least <see cref="MinSize"/> long and the fingerprint's low
/// floor(log2(<see cref="AverageSize"/>)) bits are all zero, or where it reaches <see cref="MaxSize"/>. Kubo's rabin
/// (go-ipfs-chunker) uses another polynomial and algorithm, so its rabin CIDs differ from these.
/// </summary>
/// <remarks>
/// The window's fingerprint depends only on the last 16 bytes, and no cut can come before <see cref="MinSize"/> bytes,
/// so scanning a chunk starts 16 bytes before its minimum size with an empty window: the same fingerprints as rolling
/// the whole chunk, without hashing the bytes that cannot matter.
/// </remarks>
public sealed class RabinChunker : Chunker
{
    /// <summary>The average chunk size of <c>rabin</c> without sizes (Kubo's and js-ipfs's default block size).</summary>
    public const int DefaultAverageSize = 262_144;

    /// <summary>The smallest minimum chunk size accepted (go-ipfs-chunker's and ipfs-unixfs-importer's limit).</summary>
    public const int SmallestMinSize = 16;

    /// <summary>The sliding window, in bytes (ipfs-unixfs-importer's default).</summary>
    public const int WindowSize = 16;

    /// <summary>How much is read from the source at a time while looking for a cut; bounds the bytes carried over.</summary>
    internal const int ReadSize = 64 * 1024;

    private const ulong Polynomial = 0x3DA3358B4DC173;
    private const int Degree = 53;
    private const int TopShift = Degree - 8;

    // s_out[b]: the fingerprint of byte b followed by WindowSize - 1 zero bytes, removed when b leaves the window.
    // s_reduce[t]: t·x^53 plus its residue, so XORing it clears the 8 bits above the degree after a shift by 8.
    private static readonly ulong[] s_out = BuildOutTable();
    private static readonly ulong[] s_reduce = BuildReduceTable();

    private readonly ulong _mask;

    /// <summary>Cuts chunks of <paramref name="minSize"/> to <paramref name="maxSize"/> bytes, about <paramref name="averageSize"/> on average.</summary>
    /// <exception cref="ArgumentException">The sizes are out of order or out of range.</exception>
    public RabinChunker(int minSize, int averageSize, int maxSize)
    {
        if (minSize < SmallestMinSize)
        {
            throw new ArgumentException($"The rabin minimum chunk size must be at least {SmallestMinSize} bytes (got {minSize}).", nameof(minSize));
        }

        if (minSize > averageSize)
        {
            throw new ArgumentException($"The rabin minimum chunk size ({minSize}) must not exceed the average ({averageSize}).", nameof(minSize));
        }

        if (averageSize > maxSize)
        {
            throw new ArgumentException($"The rabin average chunk size ({averageSize}) must not exceed the maximum ({maxSize}).", nameof(averageSize));
        }

        if (maxSize > FixedSizeChunker.MaxSize)
        {
            throw new ArgumentException($"The rabin maximum chunk size ({maxSize}) exceeds the limit of {FixedSizeChunker.MaxSize} bytes.", nameof(maxSize));
        }

        MinSize = minSize;
        AverageSize = averageSize;
        MaxSize = maxSize;
        _mask = (1UL << BitOperations.Log2((uint)averageSize)) - 1;
    }

    public int MinSize { get; }

    public int AverageSize { get; }

    public int MaxSize { get; }

    public override int MaxChunkSize => MaxSize;

    /// <summary>
    /// The chunker for an average size alone, as Kubo's <c>rabin-AVG</c> and ipfs-unixfs-importer's
    /// <c>rabin({ avgChunkSize })</c>: minimum avg / 3, maximum avg + avg / 2.
    /// </summary>
    public static RabinChunker FromAverage(int averageSize)
    {
        if (averageSize is < 3 * SmallestMinSize or > FixedSizeChunker.MaxSize / 3 * 2)
        {
            throw new ArgumentException($"The rabin average chunk size must be between {3 * SmallestMinSize} and {FixedSizeChunker.MaxSize / 3 * 2} bytes (got {averageSize}).", nameof(averageSize));
        }

        return new RabinChunker(averageSize / 3, averageSize, averageSize + (averageSize / 2));
    }

    public override IChunkReader Open(Stream source)
    {
        ArgumentNullException.ThrowIfNull(source);
        return new Reader(source, this);
    }

    /// <summary>
    /// Continues scanning a chunk that starts at <paramref name="chunk"/>[0] from <paramref name="position"/> (where the
    /// last call stopped, or <see cref="ScanStart"/>), updating <paramref name="digest"/>; returns the chunk's length
    /// once a cut is found in <paramref name="chunk"/>, otherwise -1 with <paramref name="position"/> at its end.
    /// </summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    internal int FindCut(ReadOnlySpan<byte> chunk, ref int position, ref ulong digest)
    {
        int start = ScanStart;
        int warm = start + WindowSize;   // before this, the byte leaving the window is one of the empty window's zeros
        int i = position;
        ulong d = digest;
        ulong mask = _mask;
        int lastWithoutCut = MinSize - 1;   // index of the byte that makes the chunk MinSize long
        ulong[] outTable = s_out;
        ulong[] reduce = s_reduce;
        int end = Math.Min(chunk.Length, MaxSize);
        for (; i < end; i++)
        {
            byte b = chunk[i];
            if (i >= warm)
            {
                d ^= outTable[chunk[i - WindowSize]];
            }

            d = ((d << 8) | b) ^ reduce[(int)(d >> TopShift)];
            if (i >= lastWithoutCut && ((d & mask) == 0 || i == MaxSize - 1))
            {
                position = i + 1;
                digest = d;
                return i + 1;
            }
        }

        position = i;
        digest = d;
        return -1;
    }

    /// <summary>Where scanning a chunk starts: <see cref="WindowSize"/> bytes before the first possible cut.</summary>
    internal int ScanStart => MinSize - WindowSize;

    private static int DegreeOf(ulong polynomial) => 63 - BitOperations.LeadingZeroCount(polynomial);

    private static ulong Mod(ulong value, ulong polynomial)
    {
        int polynomialDegree = DegreeOf(polynomial);
        for (int shift = DegreeOf(value) - polynomialDegree; value != 0 && shift >= 0; shift = DegreeOf(value) - polynomialDegree)
        {
            value ^= polynomial << shift;
        }

        return value;
    }

    private static ulong[] BuildOutTable()
    {
        var table = new ulong[256];
        for (int b = 0; b < 256; b++)
        {
            ulong fingerprint = (ulong)b;
            for (int i = 1; i < WindowSize; i++)
            {
                fingerprint = Mod(fingerprint << 8, Polynomial);
            }

            table[b] = fingerprint;
        }

        return table;
    }

    private static ulong[] BuildReduceTable()
    {
        var table = new ulong[256];
        for (int t = 0; t < 256; t++)
        {
            ulong high = (ulong)t << Degree;
            table[t] = Mod(high, Polynomial) | high;
        }

        return table;
    }

    /// <summary>
    /// Reads a chunk straight into the caller's buffer, 64 KiB at a time, scanning as it goes; the bytes read past a
    /// cut (at most one read) are kept for the next chunk.
    /// </summary>
    private sealed class Reader(Stream source, RabinChunker chunker) : IChunkReader
    {
        private byte[]? _carry;
        private int _carryLength;
        private bool _ended;

        public async ValueTask<int> ReadChunkAsync(Memory<byte> destination, CancellationToken cancellationToken)
        {
            int max = chunker.MaxSize;
            Memory<byte> chunk = destination[..max];
            int filled = _carryLength;
            if (filled > 0)
            {
                _carry.AsSpan(0, filled).CopyTo(chunk.Span);
                _carryLength = 0;
            }

            int position = chunker.ScanStart;
            ulong digest = 0;
            while (true)
            {
                if (filled > position)
                {
                    int cut = chunker.FindCut(chunk.Span[..filled], ref position, ref digest);
                    if (cut > 0)
                    {
                        Keep(chunk.Span[cut..filled]);
                        return cut;
                    }
                }

                if (_ended)
                {
                    return filled;
                }

                int read = await source.ReadAsync(chunk[filled..Math.Min(max, filled + ReadSize)], cancellationToken);
                if (read == 0)
                {
                    _ended = true;
                }

                filled += read;
            }
        }

        private void Keep(ReadOnlySpan<byte> rest)
        {
            if (rest.IsEmpty)
            {
                return;
            }

            if (_carry is null || _carry.Length < rest.Length)
            {
                _carry = new byte[Math.Max(rest.Length, Math.Min(ReadSize, chunker.MaxSize))];
            }

            rest.CopyTo(_carry);
            _carryLength = rest.Length;
        }
    }
}
