using System.Buffers;
using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Helia.Core.Ipld.DagPb;
using Helia.Multiformats;

namespace Helia.UnixFS.Importer;

/// <summary>
/// Imports one file from a stream without holding it in memory: a reader task chunks the stream, each chunk is hashed
/// (and stored) on the thread pool, and the leaves are fed to the layout in file order through a bounded channel of
/// pending tasks, so at most <see cref="ImporterOptions.MaxParallelism"/> chunks are in flight.
/// </summary>
internal sealed class FileBuilder(BlockWriter writer, ImporterOptions options)
{
    public async Task<DagNode> ImportAsync(Stream source, uint? mode, UnixFSTime? mtime, CancellationToken cancellationToken)
    {
        Func<List<DagNode>, CancellationToken, ValueTask<DagNode>> reduce = (children, ct) => ReduceAsync(children, mode, mtime, ct);
        IFileLayoutBuilder layout = options.Layout == FileLayout.Trickle
            ? new TrickleLayout(options.MaxChildrenPerNode, TrickleLayout.DefaultLayerRepeat, reduce)
            : new BalancedLayout(options.MaxChildrenPerNode, reduce);
        Channel<Task<DagNode>> pending = Channel.CreateBounded<Task<DagNode>>(new BoundedChannelOptions(options.EffectiveParallelism)
        {
            SingleReader = true,
            SingleWriter = true,
        });

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        bool keepFirst = mode is not null || mtime is not null;
        var firstChunk = new StrongBox<byte[]?>();
        Task producer = ProduceAsync(source, pending.Writer, keepFirst ? firstChunk : null, stop.Token);
        try
        {
            await foreach (Task<DagNode> leaf in pending.Reader.ReadAllAsync(cancellationToken))
            {
                await layout.AddLeafAsync(await leaf, cancellationToken);
            }
        }
        catch
        {
            await stop.CancelAsync();
            await DrainAsync(producer, pending.Reader);
            throw;
        }

        await producer;
        DagNode? root = await layout.FinishAsync(cancellationToken);
        if (root is DagNode node)
        {
            return node;
        }

        DagNode single = layout.SingleLeaf;
        if (mode is null && mtime is null)
        {
            return single;
        }

        // A lone leaf has nowhere to keep metadata: store its bytes in a UnixFS file node that has it.
        var data = new UnixFSData(UnixFSType.File) { Data = firstChunk.Value, Mode = mode, Mtime = mtime };
        byte[] block = DagPbCodec.Encode(new PBNode(data.Encode()));
        Cid cid = await writer.PutAsync(block, Multicodec.DagPb, cancellationToken);
        return new DagNode(cid, (ulong)block.Length, single.FileBytes);
    }

    private async Task ProduceAsync(Stream source, ChannelWriter<Task<DagNode>> output, StrongBox<byte[]?>? firstChunk, CancellationToken cancellationToken)
    {
        Exception? failure = null;
        try
        {
            IChunkReader reader = options.Chunker.Open(source);
            int maxChunk = options.Chunker.MaxChunkSize;
            bool emitted = false;
            while (true)
            {
                // Stored raw leaves become long-lived blocks: read into an array the store may keep.
                bool pooled = options.OnlyHash || !options.RawLeaves;
                byte[] buffer = pooled ? ArrayPool<byte>.Shared.Rent(maxChunk) : new byte[maxChunk];
                int length;
                try
                {
                    length = await reader.ReadChunkAsync(buffer.AsMemory(0, maxChunk), cancellationToken);
                }
                catch
                {
                    Return(buffer, pooled);
                    throw;
                }

                if (length == 0 && emitted)
                {
                    Return(buffer, pooled);
                    break;
                }

                if (!emitted && firstChunk is not null)
                {
                    firstChunk.Value = buffer.AsSpan(0, length).ToArray();
                }

                emitted = true;
                Task<DagNode> leaf = Task.Run(() => BuildLeafAsync(buffer, length, pooled, cancellationToken), cancellationToken);
                await output.WriteAsync(leaf, cancellationToken);
                if (length == 0)
                {
                    break;
                }
            }
        }
        catch (Exception e)
        {
            failure = e;
            throw;
        }
        finally
        {
            output.TryComplete(failure);
        }
    }

    private async Task<DagNode> BuildLeafAsync(byte[] buffer, int length, bool pooled, CancellationToken cancellationToken)
    {
        try
        {
            if (options.RawLeaves)
            {
                byte[] block = buffer;
                if (!pooled && length != buffer.Length)
                {
                    block = buffer.AsSpan(0, length).ToArray();
                }

                ReadOnlyMemory<byte> bytes = block.AsMemory(0, length);
                Cid cid = await writer.PutAsync(bytes, Multicodec.Raw, cancellationToken);
                return new DagNode(cid, (ulong)length, (ulong)length);
            }

            var data = new UnixFSData(UnixFSType.File) { Data = buffer.AsMemory(0, length) };
            byte[] node = DagPbCodec.Encode(new PBNode(data.Encode()));
            Cid leafCid = await writer.PutAsync(node, Multicodec.DagPb, cancellationToken);
            return new DagNode(leafCid, (ulong)node.Length, (ulong)length);
        }
        finally
        {
            Return(buffer, pooled);
        }
    }

    private async ValueTask<DagNode> ReduceAsync(List<DagNode> children, uint? mode, UnixFSTime? mtime, CancellationToken cancellationToken)
    {
        var links = new List<PBLink>(children.Count);
        var blockSizes = new List<ulong>(children.Count);
        ulong linkedSize = 0;
        foreach (DagNode child in children)
        {
            if (child.FileBytes == 0)
            {
                continue;
            }

            links.Add(new PBLink(child.Cid, "", child.Size));
            blockSizes.Add(child.FileBytes);
            linkedSize += child.Size;
        }

        var data = new UnixFSData(UnixFSType.File) { BlockSizes = blockSizes, Mode = mode, Mtime = mtime };
        byte[] block = DagPbCodec.Encode(new PBNode(links, data.Encode()));
        Cid cid = await writer.PutAsync(block, Multicodec.DagPb, cancellationToken);
        return new DagNode(cid, (ulong)block.Length + linkedSize, data.FileSize);
    }

    private static async Task DrainAsync(Task producer, ChannelReader<Task<DagNode>> pending)
    {
        try
        {
            await producer;
        }
        catch (Exception)
        {
            // The consumer's failure is the one reported; the producer only stopped because of it.
        }

        while (pending.TryRead(out Task<DagNode>? leaf))
        {
            try
            {
                await leaf;
            }
            catch (Exception)
            {
                // Same: the pending leaf was cancelled or failed after the import had already failed.
            }
        }
    }

    private static void Return(byte[] buffer, bool pooled)
    {
        if (pooled)
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
