using System.Buffers.Binary;

namespace Helia.Testing;

/// <summary>
/// The deterministic input generator of the shared UnixFS vectors: xorshift32 (x ^= x &lt;&lt; 13; x ^= x &gt;&gt; 17;
/// x ^= x &lt;&lt; 5), each new state written as 4 little-endian bytes (../shared/vectors/README.md). Generated as it is
/// read, so a 1 GiB input costs no memory. One source file linked into tests/Helia.Tests and bench/Helia.Benchmarks.
/// </summary>
internal sealed class XorShift32 : Stream
{
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

        // Whole words at a time, so the generator does not bound an import benchmark.
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
