namespace Helia.Benchmarks.EndToEnd;

/// <summary>
/// The deterministic input of ../shared/vectors/README.md as a read-only stream: xorshift32 from a seed, each step's
/// new state as 4 little-endian bytes. Generated as it is read, so a 1 GiB input costs no memory.
/// </summary>
internal sealed class XorShiftStream(uint seed, long length) : Stream
{
    private uint _state = seed;
    private long _position;
    private uint _word;
    private int _wordBytesLeft;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => length;

    public override long Position
    {
        get => _position;
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        int count = (int)Math.Min(buffer.Length, length - _position);
        for (int i = 0; i < count; i++)
        {
            if (_wordBytesLeft == 0)
            {
                _state ^= _state << 13;
                _state ^= _state >> 17;
                _state ^= _state << 5;
                _word = _state;
                _wordBytesLeft = 4;
            }

            buffer[i] = (byte)_word;
            _word >>= 8;
            _wordBytesLeft--;
        }

        _position += count;
        return count;
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
