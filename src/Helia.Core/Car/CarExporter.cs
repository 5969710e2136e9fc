using System.IO.Pipelines;
using Helia.Core.Blocks;
using Helia.Core.Ipld;
using Helia.Core.Pins;
using Helia.Multiformats;

namespace Helia.Core.Car;

/// <summary>
/// Exports DAGs as a CARv1, as Kubo's <c>ipfs dag export</c> does: the roots in the header, then every block reachable
/// from them, depth-first with links in order, each CID once. Blocks stream from the blockstore to the output one at a
/// time; the DAG is never held in memory (only the set of CIDs written).
/// </summary>
public static class CarExporter
{
    /// <summary>Writes the CAR to <paramref name="output"/> (not completed). Stops early if the pipe's reader stops.</summary>
    public static async Task ExportAsync(
        IBlockstore blockstore,
        BlockCodecs codecs,
        IReadOnlyList<Cid> roots,
        PipeWriter output,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(blockstore);
        ArgumentNullException.ThrowIfNull(codecs);
        ArgumentNullException.ThrowIfNull(roots);
        var writer = new CarWriter(output);
        if (!await writer.WriteHeaderAsync(roots, cancellationToken))
        {
            return;
        }

        var written = new HashSet<Cid>();
        foreach (Cid root in roots)
        {
            await foreach (Block block in DagWalker.WalkBlocksAsync(root, blockstore, codecs, written.Add, cancellationToken))
            {
                if (!await writer.WriteBlockAsync(block.Cid, block.Bytes, cancellationToken))
                {
                    return;
                }
            }
        }
    }

    /// <summary>Writes the CAR to <paramref name="output"/>, which is left open.</summary>
    public static async Task ExportAsync(
        IBlockstore blockstore,
        BlockCodecs codecs,
        IReadOnlyList<Cid> roots,
        Stream output,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(output);
        PipeWriter writer = PipeWriter.Create(output, new StreamPipeWriterOptions(leaveOpen: true));
        try
        {
            await ExportAsync(blockstore, codecs, roots, writer, cancellationToken);
        }
        finally
        {
            await writer.CompleteAsync();
        }
    }
}
