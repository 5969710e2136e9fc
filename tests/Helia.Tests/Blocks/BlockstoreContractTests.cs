using System.Text;
using Helia.Core.Blocks;
using Helia.Multiformats;

namespace Helia.Tests.Blocks;

/// <summary>The contract every <see cref="IBlockstore"/> implementation passes; subclasses supply the store.</summary>
public abstract class BlockstoreContractTests : IAsyncLifetime
{
    private IBlockstore? _store;

    protected IBlockstore Store => _store ?? throw new InvalidOperationException("The store is not created yet.");

    protected static CancellationToken Ct => TestContext.Current.CancellationToken;

    protected abstract ValueTask<IBlockstore> CreateStoreAsync();

    public async ValueTask InitializeAsync() => _store = await CreateStoreAsync();

    public virtual ValueTask DisposeAsync()
    {
        GC.SuppressFinalize(this);
        return ValueTask.CompletedTask;
    }

    protected static Block RawBlock(string text)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(text);
        return new Block(Cid.Compute(Multicodec.Raw, bytes), bytes);
    }

    protected static async IAsyncEnumerable<T> AsAsync<T>(IEnumerable<T> items)
    {
        await Task.Yield();
        foreach (T item in items)
        {
            yield return item;
        }
    }

    [Fact]
    public async Task Get_AfterPut_ReturnsTheBytes()
    {
        Block block = RawBlock("hello blockstore");
        await Store.PutAsync(block.Cid, block.Bytes, Ct);

        ReadOnlyMemory<byte> got = await Store.GetAsync(block.Cid, Ct);

        Assert.Equal(block.Bytes.ToArray(), got.ToArray());
        Assert.True(await Store.HasAsync(block.Cid, Ct));
        Assert.Equal(block.Bytes.Length, await Store.GetSizeAsync(block.Cid, Ct));
    }

    [Fact]
    public async Task Get_Missing_ThrowsBlockNotFound()
    {
        Block block = RawBlock("never stored");

        BlockNotFoundException ex = await Assert.ThrowsAsync<BlockNotFoundException>(async () => await Store.GetAsync(block.Cid, Ct));

        Assert.Equal(block.Cid, ex.Cid);
        Assert.False(await Store.HasAsync(block.Cid, Ct));
        await Assert.ThrowsAsync<BlockNotFoundException>(async () => await Store.GetSizeAsync(block.Cid, Ct));
    }

    [Fact]
    public async Task Get_V1OfBlockPutAsV0_FindsTheSameBlock()
    {
        byte[] emptyFile = Convert.FromHexString("0a0408021800");
        Cid v0 = Cid.CreateV0(Multihash.Compute(Multicodec.Sha2_256, emptyFile));
        await Store.PutAsync(v0, emptyFile, Ct);

        Cid v1 = v0.ToV1();
        Cid rawV1 = Cid.CreateV1(Multicodec.Raw, v0.Hash);

        Assert.Equal(emptyFile, (await Store.GetAsync(v1, Ct)).ToArray());
        Assert.True(await Store.HasAsync(rawV1, Ct));

        await Store.DeleteAsync(v1, Ct);
        Assert.False(await Store.HasAsync(v0, Ct));
    }

    [Fact]
    public async Task Identity_AnsweredFromCidAndNeverStored()
    {
        byte[] data = Encoding.UTF8.GetBytes("inline");
        Cid cid = Cid.CreateV1(Multicodec.Raw, Multihash.Create(Multicodec.Identity, data));

        Assert.True(await Store.HasAsync(cid, Ct));
        Assert.Equal(data, (await Store.GetAsync(cid, Ct)).ToArray());

        await Store.PutAsync(cid, data, Ct);
        await foreach (Block block in Store.GetAllAsync(Ct))
        {
            Assert.NotEqual((ulong)Multicodec.Identity, block.Cid.Hash.Code);
        }

        await Store.DeleteAsync(cid, Ct);
        Assert.True(await Store.HasAsync(cid, Ct));
    }

    [Fact]
    public async Task Put_IdentityWithOtherBytes_ThrowsInvalidBlock()
    {
        Cid cid = Cid.CreateV1(Multicodec.Raw, Multihash.Create(Multicodec.Identity, "abc"u8));

        await Assert.ThrowsAsync<InvalidBlockException>(async () => await Store.PutAsync(cid, "abd"u8.ToArray(), Ct));
    }

    [Fact]
    public async Task Put_CallerReusesBuffer_StoredBytesUnchanged()
    {
        Block block = RawBlock("buffer reuse");
        byte[] buffer = block.Bytes.ToArray();
        await Store.PutAsync(block.Cid, buffer, Ct);

        Array.Fill(buffer, (byte)0);

        Assert.Equal(block.Bytes.ToArray(), (await Store.GetAsync(block.Cid, Ct)).ToArray());
    }

    [Fact]
    public async Task PutOwned_StoresTheBlock_AndChecksIdentityBytes()
    {
        Block block = RawBlock("owned bytes");
        await Store.PutOwnedAsync(block.Cid, block.Bytes.ToArray(), Ct);

        Assert.Equal(block.Bytes.ToArray(), (await Store.GetAsync(block.Cid, Ct)).ToArray());
        Cid identity = Cid.CreateV1(Multicodec.Raw, Multihash.Create(Multicodec.Identity, "abc"u8));
        await Store.PutOwnedAsync(identity, "abc"u8.ToArray(), Ct);
        await Assert.ThrowsAsync<InvalidBlockException>(async () => await Store.PutOwnedAsync(identity, "abd"u8.ToArray(), Ct));
    }

    [Fact]
    public async Task Put_Twice_KeepsOneBlock()
    {
        Block block = RawBlock("twice");
        await Store.PutAsync(block.Cid, block.Bytes, Ct);
        await Store.PutAsync(block.Cid, block.Bytes, Ct);

        int count = 0;
        await foreach (Block stored in Store.GetAllAsync(Ct))
        {
            count += stored.Cid.Hash == block.Cid.Hash ? 1 : 0;
        }

        Assert.Equal(1, count);
    }

    [Fact]
    public async Task Put_ConcurrentWritersOfSameBlock_Harmless()
    {
        byte[] bytes = new byte[64 * 1024];
        new Random(7).NextBytes(bytes);
        Cid cid = Cid.Compute(Multicodec.Raw, bytes);

        await Task.WhenAll(Enumerable.Range(0, 16).Select(_ => Task.Run(async () => await Store.PutAsync(cid, bytes, Ct), Ct)));

        Assert.Equal(bytes, (await Store.GetAsync(cid, Ct)).ToArray());
    }

    [Fact]
    public async Task Delete_RemovesTheBlock_AndMissingIsNoError()
    {
        Block block = RawBlock("to delete");
        await Store.PutAsync(block.Cid, block.Bytes, Ct);

        await Store.DeleteAsync(block.Cid, Ct);
        await Store.DeleteAsync(block.Cid, Ct);

        Assert.False(await Store.HasAsync(block.Cid, Ct));
        await Assert.ThrowsAsync<BlockNotFoundException>(async () => await Store.GetAsync(block.Cid, Ct));
    }

    [Fact]
    public async Task PutMany_GetMany_DeleteMany_StreamEveryBlock()
    {
        Block[] blocks = Enumerable.Range(0, 20).Select(i => RawBlock($"block {i}")).ToArray();

        List<Cid> put = [];
        await foreach (Cid cid in Store.PutManyAsync(AsAsync(blocks), Ct))
        {
            put.Add(cid);
        }

        Assert.Equal(blocks.Select(b => b.Cid), put);

        List<Block> got = [];
        await foreach (Block block in Store.GetManyAsync(AsAsync(blocks.Select(b => b.Cid)), Ct))
        {
            got.Add(block);
        }

        Assert.Equal(blocks.Select(b => b.Cid), got.Select(b => b.Cid));
        Assert.Equal(blocks.Select(b => Convert.ToHexString(b.Bytes.Span)), got.Select(b => Convert.ToHexString(b.Bytes.Span)));

        List<Cid> deleted = [];
        await foreach (Cid cid in Store.DeleteManyAsync(AsAsync(blocks.Take(10).Select(b => b.Cid)), Ct))
        {
            deleted.Add(cid);
        }

        Assert.Equal(10, deleted.Count);
        foreach (Block block in blocks)
        {
            Assert.Equal(!deleted.Contains(block.Cid), await Store.HasAsync(block.Cid, Ct));
        }
    }

    [Fact]
    public async Task GetMany_WithAMissingBlock_Throws()
    {
        Block present = RawBlock("present");
        await Store.PutAsync(present.Cid, present.Bytes, Ct);

        await Assert.ThrowsAsync<BlockNotFoundException>(async () =>
        {
            await foreach (Block _ in Store.GetManyAsync(AsAsync([present.Cid, RawBlock("absent").Cid]), Ct))
            {
            }
        });
    }

    [Fact]
    public async Task GetAll_ListsEveryBlock_WithBytesMatchingTheirHash()
    {
        Block[] blocks = Enumerable.Range(0, 30).Select(i => RawBlock($"all {i}")).ToArray();
        foreach (Block block in blocks)
        {
            await Store.PutAsync(block.Cid, block.Bytes, Ct);
        }

        HashSet<Multihash> listed = [];
        await foreach (Block block in Store.GetAllAsync(Ct))
        {
            Assert.True(block.Cid.Hash.Matches(block.Bytes.Span));
            Assert.True(listed.Add(block.Cid.Hash));
        }

        Assert.Equal(blocks.Select(b => b.Cid.Hash).ToHashSet(), listed);
    }
}
