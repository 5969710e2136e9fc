using CsCheck;
using Helia.Core;
using Helia.Core.Blocks;
using Helia.Core.Ipld.DagPb;
using Helia.Multiformats;
using Helia.UnixFS;
using Helia.UnixFS.Exporter;
using Helia.UnixFS.Importer;

namespace Helia.Tests.UnixFS;

/// <summary>
/// Random and mutated UnixFS input: Data messages, dag-pb blocks and blocks of a real file DAG corrupted in the
/// store. Each is read or refused with <see cref="UnixFSException"/> (a missing block: <see cref="BlockNotFoundException"/>),
/// and a corrupted file that still reads yields exactly the size its root declares.
/// </summary>
public class UnixFSBadInputTests
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(10);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly byte[][] s_validData =
    [
        new UnixFSData(UnixFSType.File) { Data = "hello"u8.ToArray(), BlockSizes = [100, 200, 3] }.Encode(),
        new UnixFSData(UnixFSType.Directory) { Mode = 0x1ED, Mtime = new UnixFSTime(1_700_000_000, 5) }.Encode(),
        new UnixFSData(UnixFSType.HamtShard) { Data = new byte[] { 0x81, 0x02 }, HashType = UnixFSData.HamtHashType, Fanout = 256 }.Encode(),
        new UnixFSData(UnixFSType.Symlink) { Data = "../target"u8.ToArray(), Mtime = new UnixFSTime(-5, null) }.Encode(),
        new UnixFSData(UnixFSType.Raw) { Data = new byte[40] }.Encode(),
    ];

    [Fact]
    public void DataDecode_RandomOrMutated_ReadsWhatReencodesAlikeOrThrowsUnixFSException()
    {
        BadInput.RandomOrMutated(48, s_validData).Sample(
            bytes => BadInput.ParsesOrThrows<UnixFSException>(() =>
            {
                UnixFSData data = UnixFSData.Decode(bytes);
                UnixFSData again = UnixFSData.Decode(data.Encode());
                Assert.Equal(data.Type, again.Type);
                Assert.Equal(data.Data.ToArray(), again.Data.ToArray());
                Assert.Equal(data.BlockSizes, again.BlockSizes);
                Assert.Equal(data.HashType, again.HashType);
                Assert.Equal(data.Fanout, again.Fanout);
                Assert.Equal(data.EffectiveMode, again.EffectiveMode);
                Assert.Equal(data.Mtime, again.Mtime);
            }),
            iter: 3000);
    }

    [Fact]
    public void NodeDecode_RandomOrMutatedDagPb_ReadsOrThrowsUnixFSException()
    {
        byte[][] blocks = [.. s_validData.Select(data => DagPbCodec.Encode(new PBNode([], data)))];
        Cid cid = Cid.Compute(Multicodec.DagPb, blocks[0]);
        BadInput.RandomOrMutated(64, blocks).Sample(
            bytes => BadInput.ParsesOrThrows<UnixFSException>(() => UnixFSNode.Decode(cid, bytes)),
            iter: 2000);
    }

    [Fact]
    public async Task Cat_FileWithACorruptedBlock_YieldsTheDeclaredSizeOrThrows()
    {
        var options = ImporterOptions.UnixFSV0_2015 with { Chunker = new FixedSizeChunker(100), MaxChildrenPerNode = 3 };
        var original = new MemoryBlockstore();
        DagNode root = await new UnixFSImporter(original, options).ImportFileAsync(new MemoryStream(XorShift32.Generate(3, 1_000)), cancellationToken: Ct);
        List<Block> blocks = [];
        await foreach (Block block in original.GetAllAsync(Ct))
        {
            blocks.Add(block);
        }

        Assert.True(blocks.Count > 5, $"the file DAG has only {blocks.Count} blocks");
        await Gen.Select(Gen.Int[0, blocks.Count - 1], BadInput.Mutation, Gen.Int[0, 1_100]).SampleAsync(
            async (index, mutate, offset) =>
            {
                // The block stays under its CID: a corrupted store, or a peer whose block is not checked.
                var store = new MemoryBlockstore();
                foreach (Block block in blocks)
                {
                    await store.PutAsync(block.Cid, block.Cid == blocks[index].Cid ? mutate(block.Bytes.ToArray()) : block.Bytes, Ct);
                }

                var exporter = new UnixFSExporter(store);
                await BadInput.ParsesOrThrowsAsync<HeliaException>(
                    async () =>
                    {
                        UnixFSNode node = await exporter.GetNodeAsync(root.Cid, Ct);
                        long read = 0;
                        await foreach (ReadOnlyMemory<byte> chunk in exporter.CatAsync(node, Math.Min(offset, (long)node.FileSize), null, Ct))
                        {
                            read += chunk.Length;
                        }

                        Assert.Equal((long)node.FileSize - Math.Min(offset, (long)node.FileSize), read);
                    },
                    s_timeout);
            },
            iter: 400);
    }
}
