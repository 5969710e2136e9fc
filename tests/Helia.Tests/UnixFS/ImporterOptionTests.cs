using Helia.Core.Blocks;
using Helia.Multiformats;
using Helia.UnixFS;
using Helia.UnixFS.Exporter;
using Helia.UnixFS.Importer;

namespace Helia.Tests.UnixFS;

public class ImporterOptionTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task OnlyHash_StoresNothing_ButGivesTheSameCid()
    {
        byte[] bytes = XorShift32.Generate(5, 3_000_000);
        var store = new MemoryBlockstore();
        var hashOnly = new MemoryBlockstore();

        Cid stored = await new HeliaUnixFS(store).AddBytesAsync(bytes, cancellationToken: Ct);
        Cid hashed = await new HeliaUnixFS(hashOnly).AddBytesAsync(bytes, ImporterOptions.UnixFSV1_2025 with { OnlyHash = true }, Ct);

        Assert.Equal(stored, hashed);
        Assert.Equal(4, await CountAsync(store));
        Assert.Equal(0, await CountAsync(hashOnly));
    }

    [Fact]
    public async Task InlineLimit_SmallFile_GetsAnIdentityCid()
    {
        var store = new MemoryBlockstore();
        var fs = new HeliaUnixFS(store, ImporterOptions.UnixFSV1_2025 with { InlineLimit = 32 });

        Cid small = await fs.AddBytesAsync("hello"u8.ToArray(), cancellationToken: Ct);
        Cid large = await fs.AddBytesAsync(new byte[33], cancellationToken: Ct);

        Assert.Equal(Multicodec.Identity, small.Hash.Algorithm);
        Assert.Equal("hello"u8.ToArray(), small.Hash.Digest.ToArray());
        Assert.Equal(Multicodec.Sha2_256, large.Hash.Algorithm);
        Assert.Equal("hello"u8.ToArray(), await ExporterTests.CatAsync(fs.Exporter, small.ToString()));
    }

    [Fact]
    public async Task HashFunction_Sha512_IsUsedForEveryBlock()
    {
        var store = new MemoryBlockstore();
        var options = ImporterOptions.UnixFSV1_2025 with { HashFunction = Multicodec.Sha2_512, Chunker = new FixedSizeChunker(1000) };
        byte[] bytes = XorShift32.Generate(9, 2_500);

        Cid root = await new HeliaUnixFS(store, options).AddBytesAsync(bytes, cancellationToken: Ct);

        await foreach (Block block in store.GetAllAsync(Ct))
        {
            Assert.Equal(Multicodec.Sha2_512, block.Cid.Hash.Algorithm);
        }

        Assert.Equal(bytes, await ExporterTests.CatAsync(new UnixFSExporter(store), root.ToString()));
    }

    [Fact]
    public void Validate_CidV0WithSha512_Throws()
    {
        Assert.Throws<ArgumentException>(() => new UnixFSImporter(null, ImporterOptions.UnixFSV0_2015 with { HashFunction = Multicodec.Sha2_512, OnlyHash = true }));
        Assert.Throws<ArgumentException>(() => ImporterOptions.FromProfile("nope"));
        Assert.Throws<ArgumentNullException>(() => new UnixFSImporter(null, ImporterOptions.UnixFSV1_2025));
    }

    [Fact]
    public async Task ModeAndMtime_SingleChunkFile_AreStoredInAUnixFSNode()
    {
        var store = new MemoryBlockstore();
        var importer = new UnixFSImporter(store);
        var mtime = new UnixFSTime(1_700_000_000, 123);

        DagNode node = await importer.ImportFileAsync(new MemoryStream([1, 2, 3]), mode: 493, mtime: mtime, cancellationToken: Ct);
        UnixFSStat stat = await new UnixFSExporter(store).StatAsync(node.Cid.ToString(), Ct);

        Assert.Equal(Multicodec.DagPb, node.Cid.Codec);
        Assert.Equal(493U, stat.Mode);
        Assert.Equal(mtime, stat.Mtime);
        Assert.Equal(3UL, stat.FileSize);
        Assert.Equal([1, 2, 3], await ExporterTests.CatAsync(new UnixFSExporter(store), node.Cid.ToString()));
    }

    [Fact]
    public void UnixFSData_AllFields_RoundTrip()
    {
        var data = new UnixFSData(UnixFSType.File)
        {
            Data = new byte[] { 9, 8, 7 },
            BlockSizes = [10, 20],
            Mode = 0x1A4 | 0x1000,
            Mtime = new UnixFSTime(-5, 999_999_999),
        };

        UnixFSData decoded = UnixFSData.Decode(data.Encode());

        Assert.Equal(UnixFSType.File, decoded.Type);
        Assert.Equal([9, 8, 7], decoded.Data.ToArray());
        Assert.Equal([10UL, 20UL], decoded.BlockSizes);
        Assert.Equal(33UL, decoded.DeclaredFileSize);
        Assert.Equal(0x1A4U | 0x1000, decoded.Mode);
        Assert.Equal(new UnixFSTime(-5, 999_999_999), decoded.Mtime);
        Assert.Equal(data.Encode(), decoded.Encode());
    }

    [Theory]
    [InlineData("")]
    [InlineData("10")]
    [InlineData("0806")]
    [InlineData("080212")]
    [InlineData("08021205aa")]
    [InlineData("0802420408011000")]
    public void UnixFSData_Malformed_Throws(string hex)
    {
        Assert.Throws<UnixFSException>(() => UnixFSData.Decode(Convert.FromHexString(hex)));
    }

    [Fact]
    public async Task Symlink_IsStoredAsASymlinkNode()
    {
        var store = new MemoryBlockstore();
        DagNode dir = await new UnixFSImporter(store).ImportEntryAsync(
            new ImportDirectory("d", [new ImportSymlink("link", "../target"), VectorTrees.File(1, "f")]), Ct);

        UnixFSNode link = await new UnixFSExporter(store).ResolveAsync($"{dir.Cid}/link", Ct);

        Assert.Equal(UnixFSEntryKind.Symlink, link.Kind);
        Assert.Equal("../target"u8.ToArray(), link.Data!.Data.ToArray());
    }

    private static async Task<int> CountAsync(MemoryBlockstore store)
    {
        int count = 0;
        await foreach (Block _ in store.GetAllAsync(Ct))
        {
            count++;
        }

        return count;
    }
}
