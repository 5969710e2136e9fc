namespace Helia.Cli.Http.Rpc;

/// <summary>
/// A read-only stream over a file's chunks whose length is known up front (the UnixFS file size). It reports CanSeek so
/// that TarWriter takes its Length and Position for the entry header (.NET refuses an unseekable data stream inside an
/// unseekable archive stream such as an HTTP response), but it only "seeks" to where it already is. A file whose chunks
/// add up to more or fewer bytes than its declared size fails the read, so a corrupt DAG never yields a broken tar.
/// </summary>
internal sealed class FileContentStream(IAsyncEnumerable<ReadOnlyMemory<byte>> chunks, long length, string name) : Stream
{
    private readonly IAsyncEnumerator<ReadOnlyMemory<byte>> _chunks = chunks.GetAsyncEnumerator();
    private ReadOnlyMemory<byte> _current;
    private long _position;

    public override bool CanRead => true;

    public override bool CanSeek => true;

    public override bool CanWrite => false;

    public override long Length => length;

    public override long Position
    {
        get => _position;
        set => Seek(value, SeekOrigin.Begin);
    }

    public override long Seek(long offset, SeekOrigin origin)
    {
        long target = origin switch
        {
            SeekOrigin.Begin => offset,
            SeekOrigin.Current => _position + offset,
            _ => length + offset,
        };
        return target == _position ? _position : throw new NotSupportedException("This stream reads forward only.");
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        while (_current.IsEmpty)
        {
            if (!await _chunks.MoveNextAsync())
            {
                return _position == length
                    ? 0
                    : throw new RpcException($"{name}: the file ended after {_position} of its {length} bytes");
            }

            _current = _chunks.Current;
            if (_position + _current.Length > length)
            {
                throw new RpcException($"{name}: the file has more bytes than its declared {length}");
            }
        }

        int count = Math.Min(buffer.Length, _current.Length);
        _current[..count].CopyTo(buffer);
        _current = _current[count..];
        _position += count;
        return count;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async Task CopyToAsync(Stream destination, int bufferSize, CancellationToken cancellationToken)
    {
        if (!_current.IsEmpty)
        {
            await destination.WriteAsync(_current, cancellationToken);
            _position += _current.Length;
            _current = ReadOnlyMemory<byte>.Empty;
        }

        while (await _chunks.MoveNextAsync())
        {
            ReadOnlyMemory<byte> chunk = _chunks.Current;
            if (_position + chunk.Length > length)
            {
                throw new RpcException($"{name}: the file has more bytes than its declared {length}");
            }

            await destination.WriteAsync(chunk, cancellationToken);
            _position += chunk.Length;
        }

        if (_position != length)
        {
            throw new RpcException($"{name}: the file ended after {_position} of its {length} bytes");
        }
    }

    public override int Read(byte[] buffer, int offset, int count) =>
        throw new NotSupportedException("This stream is read asynchronously.");

    public override void Flush()
    {
    }

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override async ValueTask DisposeAsync()
    {
        await _chunks.DisposeAsync();
        await base.DisposeAsync();
    }
}
