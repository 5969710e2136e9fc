using System.IO.Pipelines;
using Helia.Multiformats;

namespace Helia.Core.Car;

/// <summary>
/// Writes a CARv1 to a pipe: the header, then one section per block, flushing after each so the pipe's
/// back-pressure paces the producer. The writer does not complete the pipe.
/// </summary>
public sealed class CarWriter
{
    private readonly PipeWriter _output;

    public CarWriter(PipeWriter output)
    {
        ArgumentNullException.ThrowIfNull(output);
        _output = output;
    }

    /// <summary>Writes the header. Returns false when the pipe's reader has stopped reading.</summary>
    public async ValueTask<bool> WriteHeaderAsync(IReadOnlyList<Cid> roots, CancellationToken cancellationToken = default)
    {
        CarFormat.WriteHeader(_output, roots);
        FlushResult flushed = await _output.FlushAsync(cancellationToken);
        return !flushed.IsCompleted;
    }

    /// <summary>Writes one block. Returns false when the pipe's reader has stopped reading.</summary>
    public async ValueTask<bool> WriteBlockAsync(Cid cid, ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken = default)
    {
        CarFormat.WriteSection(_output, cid, bytes.Span);
        FlushResult flushed = await _output.FlushAsync(cancellationToken);
        return !flushed.IsCompleted;
    }
}
