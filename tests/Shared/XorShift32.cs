using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Helia.Testing;

/// <summary>
/// The deterministic input generator of the shared UnixFS vectors: xorshift32 (x ^= x &lt;&lt; 13; x ^= x &gt;&gt; 17;
/// x ^= x &lt;&lt; 5), each new state written as 4 little-endian bytes (../shared/vectors/README.md). Generated as it is
/// read, so a 1 GiB input costs no memory. One source file linked into tests/Helia.Tests, bench/Helia.Benchmarks and bench/Helia.TransferNode.
/// </summary>
/// <remarks>
/// One xorshift32 stream is a chain of dependent shifts and XORs (about 1.5 GB/s on one core here), which would make the
/// generator, not the importer, what an import benchmark measures. The step is linear over GF(2), so the state
/// <see cref="LaneWords"/> words ahead is a fixed 32x32 bit matrix times the state: large reads are cut into
/// <see cref="Lanes"/> runs of <see cref="LaneWords"/> words, each started from its jumped-ahead state, and the runs are
/// advanced side by side (independent chains the CPU overlaps). The bytes are the same as one word at a time.
/// </remarks>
internal sealed class XorShift32 : Stream
{
    internal const int Lanes = 8;
    internal const int LaneWords = 1024;

    // s_jump[c]: the state LaneWords steps after the state with only bit c set.
    private static readonly uint[] s_jump = BuildJump();

    private readonly long _length;
    private uint _state;
    private long _position;
    private uint _word;
    private int _wordUsed = 4;

    public XorShift32(uint seed, long length)
    {
        ArgumentOutOfRangeException.ThrowIfZero(seed);
        _state = seed;
        _length = length;
    }

    public static byte[] Generate(uint seed, int length)
    {
        byte[] bytes = new byte[length];
        using var stream = new XorShift32(seed, length);
        stream.ReadExactly(bytes);
        return bytes;
    }

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => _length;

    public override long Position
    {
        get => _position;
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        int count = (int)Math.Min(buffer.Length, _length - _position);
        int i = 0;
        while (i < count && _wordUsed < 4)
        {
            buffer[i++] = (byte)(_word >> (8 * _wordUsed++));      // the rest of a word a previous read began
        }

        // Whole words at a time, many chains side by side, so the generator does not bound an import benchmark.
        const int blockBytes = Lanes * LaneWords * 4;
        for (; count - i >= blockBytes; i += blockBytes)
        {
            _state = FillBlock(buffer.Slice(i, blockBytes), _state);
        }

        for (; count - i >= 4; i += 4)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(buffer[i..], Next());
        }

        for (; i < count; i++)
        {
            if (_wordUsed == 4)
            {
                _word = Next();
                _wordUsed = 0;
            }

            buffer[i] = (byte)(_word >> (8 * _wordUsed++));
        }

        _position += count;
        return count;
    }

    /// <summary>Writes the next Lanes x LaneWords words to <paramref name="block"/>; returns the state after them.</summary>
    /// <remarks>Optimised at once: a benchmark's first second would otherwise run this loop as unoptimised tier-0 code.</remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static uint FillBlock(Span<byte> block, uint state)
    {
        uint s0 = state;
        uint s1 = Jump(s0);
        uint s2 = Jump(s1);
        uint s3 = Jump(s2);
        uint s4 = Jump(s3);
        uint s5 = Jump(s4);
        uint s6 = Jump(s5);
        uint s7 = Jump(s6);
        ref byte start = ref MemoryMarshal.GetReference(block);
        const int laneBytes = LaneWords * 4;
        for (int offset = 0; offset < laneBytes; offset += 4)
        {
            ref byte at = ref Unsafe.Add(ref start, offset);
            Unsafe.WriteUnaligned(ref at, ToLittleEndian(s0 = Step(s0)));
            Unsafe.WriteUnaligned(ref Unsafe.Add(ref at, laneBytes), ToLittleEndian(s1 = Step(s1)));
            Unsafe.WriteUnaligned(ref Unsafe.Add(ref at, 2 * laneBytes), ToLittleEndian(s2 = Step(s2)));
            Unsafe.WriteUnaligned(ref Unsafe.Add(ref at, 3 * laneBytes), ToLittleEndian(s3 = Step(s3)));
            Unsafe.WriteUnaligned(ref Unsafe.Add(ref at, 4 * laneBytes), ToLittleEndian(s4 = Step(s4)));
            Unsafe.WriteUnaligned(ref Unsafe.Add(ref at, 5 * laneBytes), ToLittleEndian(s5 = Step(s5)));
            Unsafe.WriteUnaligned(ref Unsafe.Add(ref at, 6 * laneBytes), ToLittleEndian(s6 = Step(s6)));
            Unsafe.WriteUnaligned(ref Unsafe.Add(ref at, 7 * laneBytes), ToLittleEndian(s7 = Step(s7)));
        }

        return s7;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static uint Step(uint x)
    {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        return x;
    }

    private static uint ToLittleEndian(uint word) => BitConverter.IsLittleEndian ? word : BinaryPrimitives.ReverseEndianness(word);

    /// <summary>The state <see cref="LaneWords"/> steps after <paramref name="state"/>.</summary>
    private static uint Jump(uint state)
    {
        uint result = 0;
        for (int c = 0; c < 32; c++)
        {
            if ((state & (1u << c)) != 0)
            {
                result ^= s_jump[c];
            }
        }

        return result;
    }

    private static uint[] BuildJump()
    {
        uint[] jump = new uint[32];
        for (int c = 0; c < 32; c++)
        {
            uint x = 1u << c;
            for (int i = 0; i < LaneWords; i++)
            {
                x = Step(x);
            }

            jump[c] = x;
        }

        return jump;
    }

    private uint Next()
    {
        _state ^= _state << 13;
        _state ^= _state >> 17;
        _state ^= _state << 5;
        return _state;
    }

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(Read(buffer.Span));

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        Task.FromResult(Read(buffer.AsSpan(offset, count)));

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
