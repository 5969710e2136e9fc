using Helia.Core;
using Helia.Core.Blocks;
using Helia.Multiformats;

namespace Helia.Tests.Blocks;

public sealed class FlatFsBlockstoreTests : BlockstoreContractTests
{
    // The empty UnixFS directory that `ipfs init` stores: Kubo's repos all hold blocks/X3/<this>.data.
    private const string EmptyDirCid = "QmUNLLsPACCz1vLxQVkXqqLX5R1X345qqfHbsf67hvA3Nn";
    private const string EmptyDirKey = "CIQFTFEEHEDF6KLBT32BFAGLXEZL4UWFNWM4LFTLMXQBCERZ6CMLX3Y";
    private static readonly byte[] s_emptyDir = [0x0a, 0x02, 0x08, 0x01];

    private readonly TempDirectory _dir = new();

    protected override ValueTask<IBlockstore> CreateStoreAsync() =>
        ValueTask.FromResult<IBlockstore>(new FlatFsBlockstore(_dir.Combine("blocks"), new FlatFsBlockstoreOptions { Sync = false }));

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        _dir.Dispose();
    }

    [Fact]
    public async Task Get_FolderLaidOutAsKuboLaysIt_ReadsTheBlock()
    {
        string blocks = _dir.Combine("kubo-blocks");
        Directory.CreateDirectory(Path.Combine(blocks, "X3"));
        await File.WriteAllTextAsync(Path.Combine(blocks, "SHARDING"), "/repo/flatfs/shard/v1/next-to-last/2\n", Ct);
        await File.WriteAllBytesAsync(Path.Combine(blocks, "X3", EmptyDirKey + ".data"), s_emptyDir, Ct);

        var store = new FlatFsBlockstore(blocks);

        Assert.Equal(s_emptyDir, (await store.GetAsync(Cid.Parse(EmptyDirCid), Ct)).ToArray());
        List<Cid> all = [];
        await foreach (Cid cid in store.GetAllCidsAsync(Ct))
        {
            all.Add(cid);
        }

        Assert.Equal([Cid.Parse(EmptyDirCid).Hash], all.Select(c => c.Hash));
    }

    [Fact]
    public async Task Put_WritesKuboKeyAndShard()
    {
        var store = (FlatFsBlockstore)Store;
        Cid cid = Cid.Parse(EmptyDirCid);

        await store.PutAsync(cid, s_emptyDir, Ct);

        Assert.Equal(EmptyDirKey, FlatFsBlockstore.KeyOf(cid.Hash));
        Assert.Equal(s_emptyDir, await File.ReadAllBytesAsync(_dir.Combine("blocks", "X3", EmptyDirKey + ".data"), Ct));
        Assert.Equal("/repo/flatfs/shard/v1/next-to-last/2", (await File.ReadAllTextAsync(_dir.Combine("blocks", "SHARDING"), Ct)).Trim());
    }

    [Theory]
    [InlineData("CIQL7TG2PB52XIZLLHDYIUFMHUQLMMZWBNBZSLDXFCPZ5VDNQQ2WDZQ", "DZ")]
    [InlineData("AB", "_A")]
    [InlineData("ABC", "AB")]
    public void ShardOf_NextToLastTwo(string key, string shard) => Assert.Equal(shard, FlatFsBlockstore.ShardOf(key));

    [Fact]
    public async Task Get_CorruptFile_TreatedAsMissing_AndRepairedByPut()
    {
        var store = (FlatFsBlockstore)Store;
        Block block = RawBlock("will be corrupted");
        await store.PutAsync(block.Cid, block.Bytes, Ct);
        string path = store.PathOf(block.Cid.Hash);
        await File.WriteAllBytesAsync(path, "will be corrupteD"u8.ToArray(), Ct);

        BlockNotFoundException ex = await Assert.ThrowsAsync<BlockNotFoundException>(async () => await store.GetAsync(block.Cid, Ct));

        Assert.Contains("corrupt", ex.Message, StringComparison.Ordinal);
        Assert.False(await store.HasAsync(block.Cid, Ct));
        Assert.True(File.Exists(path + ".corrupt"));

        await store.PutAsync(block.Cid, block.Bytes, Ct);
        Assert.Equal(block.Bytes.ToArray(), (await store.GetAsync(block.Cid, Ct)).ToArray());
    }

    [Fact]
    public async Task Get_TruncatedFile_TreatedAsMissing()
    {
        var store = (FlatFsBlockstore)Store;
        Block block = RawBlock("will be truncated");
        await store.PutAsync(block.Cid, block.Bytes, Ct);
        await File.WriteAllBytesAsync(store.PathOf(block.Cid.Hash), block.Bytes[..5].ToArray(), Ct);

        await Assert.ThrowsAsync<BlockNotFoundException>(async () => await store.GetAsync(block.Cid, Ct));
    }

    [Fact]
    public async Task Get_OversizedFile_TreatedAsMissing()
    {
        var store = new FlatFsBlockstore(_dir.Combine("small"), new FlatFsBlockstoreOptions { Sync = false, MaxBlockSize = 16 });
        Block block = RawBlock("short");
        await store.PutAsync(block.Cid, block.Bytes, Ct);
        await File.WriteAllBytesAsync(store.PathOf(block.Cid.Hash), new byte[17], Ct);

        await Assert.ThrowsAsync<BlockNotFoundException>(async () => await store.GetAsync(block.Cid, Ct));
        await Assert.ThrowsAsync<InvalidBlockException>(async () => await store.PutAsync(RawBlock(new string('x', 17)).Cid, new byte[17], Ct));
    }

    [Fact]
    public void Open_OtherSharding_Throws()
    {
        string blocks = _dir.Combine("other");
        Directory.CreateDirectory(blocks);
        File.WriteAllText(Path.Combine(blocks, "SHARDING"), "/repo/flatfs/shard/v1/prefix/2\n");

        HeliaException ex = Assert.Throws<HeliaException>(() => new FlatFsBlockstore(blocks));

        Assert.Contains("prefix/2", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Open_AfterCrashLeftTempFiles_RemovesThem_AndListsOnlyBlocks()
    {
        var store = (FlatFsBlockstore)Store;
        Block block = RawBlock("survivor");
        await store.PutAsync(block.Cid, block.Bytes, Ct);
        string stale = Path.Combine(store.Root, ".temp", "HALFWRITTEN-0");
        await File.WriteAllBytesAsync(stale, [1, 2, 3], Ct);
        Directory.CreateDirectory(Path.Combine(store.Root, "X3"));
        await File.WriteAllBytesAsync(Path.Combine(store.Root, "X3", "NOTAKEY!.data"), [1], Ct);

        var reopened = new FlatFsBlockstore(store.Root);

        Assert.False(File.Exists(stale));
        List<Block> all = [];
        await foreach (Block b in reopened.GetAllAsync(Ct))
        {
            all.Add(b);
        }

        Assert.Equal([block.Cid.Hash], all.Select(b => b.Cid.Hash));
    }
}
