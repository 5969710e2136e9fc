using System.Buffers;
using System.IO.Pipelines;
using System.Runtime.CompilerServices;
using Helia.Core.Blocks;

namespace Helia.Core.Car;

/// <summary>
/// Reads a CAR from a pipe, one section at a time: the header, then every block, each verified against its CID before
/// it is handed out. A CARv1 is read to the end of the stream; of a CARv2, its CARv1 data payload is read (exactly the
/// bytes its header gives; the index is not read). Nothing is buffered beyond the section being read, and no length
/// prefix is trusted past <see cref="CarReaderOptions"/>. Every malformed input throws <see cref="CarFormatException"/>.
/// </summary>
public sealed class CarReader : IAsyncDisposable
{
    private readonly PipeReader _input;
    private readonly bool _ownsInput;
    private readonly CarReaderOptions _options;
    private CarHeader? _header;
    private long _payloadLeft = -1;   // CARv2: bytes of the data payload not read yet; -1: a CARv1, read to the end

    public CarReader(PipeReader input, CarReaderOptions? options = null)
        : this(input, ownsInput: false, options)
    {
    }

    private CarReader(PipeReader input, bool ownsInput, CarReaderOptions? options)
    {
        ArgumentNullException.ThrowIfNull(input);
        _options = options ?? CarReaderOptions.Default;
        _options.Validate();
        _input = input;
        _ownsInput = ownsInput;
    }

    private delegate bool Parser<T>(ref ReadOnlySequence<byte> buffer, CarReaderOptions options, out T value);

    /// <summary>1 for a CARv1, 2 for a CARv2 (known once the header is read).</summary>
    public int Version => _payloadLeft >= 0 ? 2 : 1;

    /// <summary>A reader over <paramref name="stream"/>; disposing the reader leaves the stream open.</summary>
    public static CarReader Create(Stream stream, CarReaderOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        return new CarReader(PipeReader.Create(stream, new StreamPipeReaderOptions(leaveOpen: true)), ownsInput: true, options);
    }

    /// <summary>Reads the header (of a CARv2, its payload's CARv1 header), once; later calls return the same one.</summary>
    public async ValueTask<CarHeader> ReadHeaderAsync(CancellationToken cancellationToken = default)
    {
        if (_header is not null)
        {
            return _header;
        }

        await ReadV2PrefixAsync(cancellationToken);
        (bool found, CarHeader header) = await ReadItemAsync<CarHeader>(CarFormat.TryReadHeader, "its header", cancellationToken);
        _header = found ? header : throw new CarFormatException("The CAR is empty: it has no header.");
        return _header;
    }

    /// <summary>Reads the header if not yet read, then yields every block in the order the CAR holds them.</summary>
    public async IAsyncEnumerable<Block> ReadBlocksAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await ReadHeaderAsync(cancellationToken);
        while (true)
        {
            (bool found, Block block) = await ReadItemAsync<Block>(CarFormat.TryReadSection, "a section", cancellationToken);
            if (!found)
            {
                yield break;
            }

            yield return block;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_ownsInput)
        {
            await _input.CompleteAsync();
        }
    }

    /// <summary>If the input starts with the CARv2 pragma, reads the CARv2 header and skips to its data payload.</summary>
    private async ValueTask ReadV2PrefixAsync(CancellationToken cancellationToken)
    {
        ReadResult result = await _input.ReadAtLeastAsync(CarV2Header.PrefixLength, cancellationToken);
        ReadOnlySequence<byte> buffer = result.Buffer;
        if (!CarFormat.StartsWithV2Pragma(buffer))
        {
            _input.AdvanceTo(buffer.Start);
            return;
        }

        CarV2Header header;
        SequencePosition consumed = buffer.Start;
        try
        {
            if (buffer.Length < CarV2Header.PrefixLength)
            {
                throw new CarFormatException("The CARv2 ends inside its header.");
            }

            Span<byte> bytes = stackalloc byte[CarV2Header.PrefixLength - CarFormat.V2PragmaLength];
            buffer.Slice(CarFormat.V2PragmaLength, bytes.Length).CopyTo(bytes);
            header = CarFormat.ReadV2Header(bytes);
            consumed = buffer.GetPosition(CarV2Header.PrefixLength);
        }
        finally
        {
            _input.AdvanceTo(consumed);
        }

        await SkipAsync(header.DataOffset - CarV2Header.PrefixLength, cancellationToken);
        _payloadLeft = header.DataSize;
    }

    /// <summary>Skips <paramref name="count"/> bytes (the padding before a CARv2's payload) without buffering them.</summary>
    private async ValueTask SkipAsync(long count, CancellationToken cancellationToken)
    {
        while (count > 0)
        {
            ReadResult result = await _input.ReadAsync(cancellationToken);
            ReadOnlySequence<byte> buffer = result.Buffer;
            if (buffer.Length >= count)
            {
                _input.AdvanceTo(buffer.GetPosition(count));
                return;
            }

            count -= buffer.Length;
            _input.AdvanceTo(buffer.End);
            if (result.IsCompleted)
            {
                throw new CarFormatException("The CARv2 ends before its data payload.");
            }
        }
    }

    /// <summary>
    /// Parses the next item; (false, default) when the CAR (or a CARv2's payload) ends cleanly before it, and
    /// <see cref="CarFormatException"/> when it ends inside it.
    /// </summary>
    private async ValueTask<(bool Found, T Value)> ReadItemAsync<T>(Parser<T> parse, string what, CancellationToken cancellationToken)
    {
        while (_payloadLeft != 0)
        {
            ReadResult result = await _input.ReadAsync(cancellationToken);
            ReadOnlySequence<byte> buffer = result.Buffer;
            bool ended = result.IsCompleted;
            if (_payloadLeft >= 0 && buffer.Length >= _payloadLeft)
            {
                buffer = buffer.Slice(0, _payloadLeft);   // what follows a CARv2's payload (its index) is not ours to parse
                ended = true;
            }

            ReadOnlySequence<byte> rest = buffer;
            SequencePosition examined = result.Buffer.End;
            try
            {
                if (parse(ref rest, _options, out T value))
                {
                    examined = rest.Start;
                    if (_payloadLeft >= 0)
                    {
                        _payloadLeft -= buffer.Length - rest.Length;
                    }

                    return (true, value);
                }

                if (ended)
                {
                    if (_payloadLeft > buffer.Length)
                    {
                        throw new CarFormatException($"The CARv2 ends {_payloadLeft - buffer.Length} bytes before the end of its data payload.");
                    }

                    return buffer.IsEmpty
                        ? (false, default!)
                        : throw new CarFormatException($"The CAR ends inside {what} ({buffer.Length} bytes left over).");
                }
            }
            finally
            {
                _input.AdvanceTo(rest.Start, examined);
            }
        }

        return (false, default!);   // a CARv2's payload is read whole: what follows is its index
    }
}
