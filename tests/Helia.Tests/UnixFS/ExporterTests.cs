using Helia.Core.Blocks;
using Helia.Core.Ipld.DagPb;
using Helia.Multiformats;
using Helia.UnixFS;
using Helia.UnixFS.Exporter;
using Helia.UnixFS.Importer;

namespace Helia.Tests.UnixFS;

public class ExporterTests
{
    // Small chunks and fan-out make deep trees from small inputs.
    private static readonly ImporterOptions s_tiny = ImporterOptions.UnixFSV1_2025 with { Chunker = new FixedSizeChunker(100), MaxChildrenPerNode = 3 };
    private static readonly ImporterOptions s_tinyV0 = ImporterOptions.UnixFSV0_2015 with { Chunker = new FixedSizeChunker(100), MaxChildrenPerNode = 3 };
    private static readonly ImporterOptions s_tinyTrickle = s_tiny with { Layout = FileLayout.Trickle };
    private static readonly ImporterOptions s_tinyTrickleV0 = s_tinyV0 with { Layout = FileLayout.Trickle };

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(99)]
    [InlineData(100)]
    [InlineData(101)]
    [InlineData(2_345)]
    [InlineData(20_001)]
    public async Task Cat_WholeFile_ReturnsTheImportedBytes(int size)
    {
        foreach (ImporterOptions options in new[] { s_tiny, s_tinyV0, s_tinyTrickle, s_tinyTrickleV0, ImporterOptions.UnixFSV1_2025 })
        {
            (MemoryBlockstore store, Cid cid, byte[] bytes) = await ImportAsync(size, options);

            Assert.Equal(bytes, await CatAsync(new UnixFSExporter(store), cid.ToString()));
        }
    }

    [Fact]
    public async Task Cat_Ranges_ReturnTheRightSlices()
    {
        foreach (ImporterOptions options in new[] { s_tinyV0, s_tinyTrickleV0 })
        {
            (MemoryBlockstore store, Cid cid, byte[] bytes) = await ImportAsync(2_345, options);
            var exporter = new UnixFSExporter(store, prefetch: 2);

            foreach ((int offset, int length) in new[] { (0, 1), (99, 2), (100, 100), (150, 1000), (2_344, 10), (2_345, 5), (0, 0), (1_234, 999_999) })
            {
                byte[] expected = bytes.AsSpan(offset, Math.Min(length, bytes.Length - offset)).ToArray();
                Assert.Equal(expected, await CatAsync(exporter, cid.ToString(), offset, length));
            }
        }
    }

    [Fact]
    public async Task Cat_OffsetBeyondEnd_Throws()
    {
        (MemoryBlockstore store, Cid cid, _) = await ImportAsync(500, s_tiny);

        await Assert.ThrowsAsync<UnixFSException>(() => CatAsync(new UnixFSExporter(store), cid.ToString(), 501));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => CatAsync(new UnixFSExporter(store), cid.ToString(), -1));
    }

    [Fact]
    public async Task Cat_Directory_Throws()
    {
        (MemoryBlockstore store, Cid root) = await ImportTreeAsync("small", ImporterOptions.UnixFSV1_2025);

        await Assert.ThrowsAsync<UnixFSException>(() => CatAsync(new UnixFSExporter(store), root.ToString()));
    }

    [Fact]
    public async Task Resolve_PathsThroughPlainDirectories_FindFiles()
    {
        (MemoryBlockstore store, Cid root) = await ImportTreeAsync("small", ImporterOptions.UnixFSV0_2015);
        var exporter = new UnixFSExporter(store);

        byte[] expected = XorShift32.Generate(1007, 7 * 37);
        Assert.Equal(expected, await CatAsync(exporter, $"/ipfs/{root}/sub/deeper/file-7.bin"));
        Assert.Equal(UnixFSEntryKind.Directory, (await exporter.StatAsync($"{root}/empty", Ct)).Kind);

        var missing = await Assert.ThrowsAsync<UnixFSPathNotFoundException>(async () => await exporter.ResolveAsync($"{root}/sub/nope", Ct));
        Assert.EndsWith("/sub/nope", missing.Path, StringComparison.Ordinal);
        await Assert.ThrowsAsync<UnixFSException>(async () => await exporter.ResolveAsync($"{root}/file-1.bin/x", Ct));
    }

    [Fact]
    public async Task LsAndResolve_ShardedDirectory_SeeEveryEntry()
    {
        (MemoryBlockstore store, Cid root) = await ImportTreeAsync("wide-8000", ImporterOptions.Helia);
        var exporter = new UnixFSExporter(store);

        Assert.Equal(UnixFSEntryKind.ShardedDirectory, (await exporter.StatAsync(root.ToString(), Ct)).Kind);
        var names = new List<string>();
        await foreach (UnixFSLink link in exporter.LsAsync(root.ToString(), Ct))
        {
            names.Add(link.Name);
        }

        Assert.Equal(8000, names.Count);
        Assert.Equal(Enumerable.Range(1, 8000).Select(i => $"f{i:D5}.txt").Order(StringComparer.Ordinal), names.Order(StringComparer.Ordinal));

        foreach (int i in new[] { 1, 77, 4_096, 8_000 })
        {
            Assert.Equal(XorShift32.Generate((uint)(1000 + i), i * 37 % 5000), await CatAsync(exporter, $"{root}/f{i:D5}.txt"));
        }

        await Assert.ThrowsAsync<UnixFSPathNotFoundException>(async () => await exporter.ResolveAsync($"{root}/f08001.txt", Ct));
    }

    [Fact]
    public async Task Stat_File_ReportsSizes()
    {
        (MemoryBlockstore store, Cid cid, _) = await ImportAsync(1_000, s_tiny);

        UnixFSStat stat = await new UnixFSExporter(store).StatAsync(cid.ToString(), Ct);

        Assert.Equal(UnixFSEntryKind.File, stat.Kind);
        Assert.Equal(1_000UL, stat.FileSize);
        Assert.True(stat.DagSize > 1_000UL);
        Assert.Equal(UnixFSData.DefaultFileMode, stat.Mode);
    }

    [Fact]
    public async Task Get_Tree_WritesFilesToDisk()
    {
        (MemoryBlockstore store, Cid root) = await ImportTreeAsync("small", ImporterOptions.UnixFSV1_2025);
        string target = Path.Combine(Path.GetTempPath(), "helia-get-" + Guid.NewGuid().ToString("N"));
        try
        {
            await new UnixFSExporter(store).GetAsync(root.ToString(), target, Ct);

            Assert.Equal(XorShift32.Generate(1003, 3 * 37), await File.ReadAllBytesAsync(Path.Combine(target, "file-3.bin"), Ct));
            Assert.Equal(XorShift32.Generate(1008, 8 * 37), await File.ReadAllBytesAsync(Path.Combine(target, "sub", "deeper", "file-8.bin"), Ct));
            Assert.True(Directory.Exists(Path.Combine(target, "empty")));

            // And back: importing the written tree from disk (under the tree's own name) gives the same root.
            string named = Path.Combine(target, "..", Path.GetFileName(target) + "-small");
            Directory.Move(target, named);
            target = named;
            var entry = (ImportDirectory)DiskSource.FromPath(target, ImporterOptions.UnixFSV1_2025);
            DagNode again = await new UnixFSImporter(new MemoryBlockstore()).ImportEntryAsync(entry, Ct);
            Assert.Equal(root, again.Cid);
        }
        finally
        {
            Directory.Delete(target, recursive: true);
        }
    }

    [Fact]
    public async Task Cat_DeclaredSizeMismatch_Throws()
    {
        var store = new MemoryBlockstore();
        byte[] leaf = [1, 2, 3];
        Cid leafCid = Cid.Compute(Multicodec.Raw, leaf);
        await store.PutAsync(leafCid, leaf, Ct);
        Cid bad = await PutFileNodeAsync(store, [new PBLink(leafCid, "", 3)], [4]);

        var error = await Assert.ThrowsAsync<UnixFSException>(() => CatAsync(new UnixFSExporter(store), bad.ToString()));
        Assert.Contains("declares 4 bytes", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cat_LinksAndBlockSizesDisagree_Throws()
    {
        var store = new MemoryBlockstore();
        byte[] leaf = [1, 2, 3];
        Cid leafCid = Cid.Compute(Multicodec.Raw, leaf);
        Cid bad = await PutFileNodeAsync(store, [new PBLink(leafCid, "", 3)], [3, 3]);

        await Assert.ThrowsAsync<UnixFSException>(() => CatAsync(new UnixFSExporter(store), bad.ToString()));
    }

    [Fact]
    public async Task Resolve_MalformedDagPb_Throws()
    {
        var store = new MemoryBlockstore();
        byte[] block = [0x0a, 0x02, 0x08, 0x02, 0x0a, 0x00];   // Data twice
        Cid cid = Cid.Compute(Multicodec.DagPb, block);
        await store.PutAsync(cid, block, Ct);

        var error = await Assert.ThrowsAsync<UnixFSException>(async () => await new UnixFSExporter(store).ResolveAsync(cid.ToString(), Ct));
        Assert.IsType<DagPbException>(error.InnerException);
    }

    [Fact]
    public async Task Resolve_DagPbWithoutUnixFSData_Throws()
    {
        var store = new MemoryBlockstore();
        byte[] block = [];
        Cid cid = Cid.Compute(Multicodec.DagPb, block);
        await store.PutAsync(cid, block, Ct);

        await Assert.ThrowsAsync<UnixFSException>(async () => await new UnixFSExporter(store).ResolveAsync(cid.ToString(), Ct));
    }

    [Fact]
    public async Task Cat_MissingBlock_ThrowsBlockNotFound()
    {
        (MemoryBlockstore store, Cid cid, _) = await ImportAsync(1_000, s_tiny);
        UnixFSNode root = await new UnixFSExporter(store).GetNodeAsync(cid, Ct);
        await store.DeleteAsync(root.DagPb!.Links[^1].Hash, Ct);

        await Assert.ThrowsAsync<BlockNotFoundException>(() => CatAsync(new UnixFSExporter(store), cid.ToString()));
    }

    private static async Task<Cid> PutFileNodeAsync(MemoryBlockstore store, List<PBLink> links, ulong[] blockSizes)
    {
        var data = new UnixFSData(UnixFSType.File) { BlockSizes = blockSizes };
        byte[] block = DagPbCodec.Encode(new PBNode(links, data.Encode()));
        Cid cid = Cid.Compute(Multicodec.DagPb, block);
        await store.PutAsync(cid, block, Ct);
        return cid;
    }

    internal static async Task<(MemoryBlockstore Store, Cid Cid, byte[] Bytes)> ImportAsync(int size, ImporterOptions options)
    {
        var store = new MemoryBlockstore();
        byte[] bytes = XorShift32.Generate(7, size);
        DagNode node = await new UnixFSImporter(store, options).ImportFileAsync(new MemoryStream(bytes), cancellationToken: Ct);
        return (store, node.Cid, bytes);
    }

    internal static async Task<(MemoryBlockstore Store, Cid Root)> ImportTreeAsync(string tree, ImporterOptions options)
    {
        var store = new MemoryBlockstore();
        DagNode node = await new UnixFSImporter(store, options).ImportEntryAsync(VectorTrees.Build(tree), Ct);
        return (store, node.Cid);
    }

    internal static async Task<byte[]> CatAsync(UnixFSExporter exporter, string path, long offset = 0, long? length = null)
    {
        using var output = new MemoryStream();
        await foreach (ReadOnlyMemory<byte> chunk in exporter.CatAsync(path, offset, length, Ct))
        {
            output.Write(chunk.Span);
        }

        return output.ToArray();
    }
}
