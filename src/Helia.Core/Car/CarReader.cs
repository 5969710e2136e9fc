using System.Buffers;
using System.IO.Pipelines;
using System.Runtime.CompilerServices;
using Helia.Core.Blocks;

namespace Helia.Core.Car;

/// <summary>
/// Reads a CARv1 from a pipe, one section at a time: the header, then every block, each verified against its CID
/// before it is handed out. Nothing is buffered beyond the section being read, and no length prefix is trusted past
/// <see cref="CarReaderOptions"/>. Every malformed input throws <see cref="CarFormatException"/>.
/// </summary>
public sealed class CarReader : IAsyncDisposable
{
    private readonly PipeReader _input;
    private readonly bool _ownsInput;
    private readonly CarReaderOptions _options;
    private CarHeader? _header;

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

    /// <summary>A reader over <paramref name="stream"/>; disposing the reader leaves the stream open.</summary>
    public static CarReader Create(Stream stream, CarReaderOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        return new CarReader(PipeReader.Create(stream, new StreamPipeReaderOptions(leaveOpen: true)), ownsInput: true, options);
    }

    /// <summary>Reads the header (once; later calls return the same one).</summary>
    public async ValueTask<CarHeader> ReadHeaderAsync(CancellationToken cancellationToken = default)
    {
        while (_header is null)
        {
            ReadResult result = await _input.ReadAsync(cancellationToken);
            ReadOnlySequence<byte> buffer = result.Buffer;
            SequencePosition examined = buffer.End;
            try
            {
                if (CarFormat.TryReadHeader(ref buffer, _options, out CarHeader header))
                {
                    _header = header;
                    examined = buffer.Start;
                }
                else if (result.IsCompleted)
                {
                    throw new CarFormatException(buffer.IsEmpty ? "The CAR is empty: it has no header." : "The CAR ends inside its header.");
                }
            }
            finally
            {
                _input.AdvanceTo(buffer.Start, examined);
            }
        }

        return _header;
    }

    /// <summary>Reads the header if not yet read, then yields every block in the order the CAR holds them.</summary>
    public async IAsyncEnumerable<Block> ReadBlocksAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await ReadHeaderAsync(cancellationToken);
        while (await ReadSectionAsync(cancellationToken) is Block block)
        {
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

    /// <summary>The next block, or null when the CAR ends cleanly between sections.</summary>
    private async ValueTask<Block?> ReadSectionAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            ReadResult result = await _input.ReadAsync(cancellationToken);
            ReadOnlySequence<byte> buffer = result.Buffer;
            SequencePosition examined = buffer.End;
            try
            {
                if (CarFormat.TryReadSection(ref buffer, _options, out Block block))
                {
                    examined = buffer.Start;
                    return block;
                }

                if (result.IsCompleted)
                {
                    return buffer.IsEmpty
                        ? null
                        : throw new CarFormatException($"The CAR ends inside a section ({buffer.Length} bytes left over).");
                }
            }
            finally
            {
                _input.AdvanceTo(buffer.Start, examined);
            }
        }
    }
}
