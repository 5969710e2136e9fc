using Helia.Core.Blocks;
using Helia.Core.Datastore;
using Helia.Core.Ipld;
using Helia.Core.Pins;
using Helia.Multiformats;
using Helia.Tests.Blocks;

namespace Helia.Tests.Pins;

public sealed class PinManagerTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly MemoryBlockstore _blocks = new();
    private readonly MemoryDatastore _datastore = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => _dir.Dispose();

    private PinManager Pins(IDatastore? datastore = null) => new(datastore ?? _datastore, _blocks, BlockCodecs.CreateDefault());

    private static async Task<List<Pin>> LsAsync(PinManager pins, PinType? type = null)
    {
        List<Pin> list = [];
        await foreach (Pin pin in pins.LsAsync(type, Ct))
        {
            list.Add(pin);
        }

        return list;
    }

    [Fact]
    public async Task AddRecursive_PinsEveryBlockOfTheDag()
    {
        (Cid root, Cid[] all) = await TestDag.PutTreeAsync(_blocks, "tree", Ct);
        Cid outside = await TestDag.PutLeafAsync(_blocks, "outside", Ct);
        PinManager pins = Pins();

        await pins.AddAsync(root, cancellationToken: Ct);

        foreach (Cid cid in all)
        {
            Assert.True(await pins.IsPinnedAsync(cid, Ct), cid.ToString());
        }

        Assert.False(await pins.IsPinnedAsync(outside, Ct));
        Assert.Equal([new Pin(root, PinType.Recursive)], await LsAsync(pins, PinType.Recursive));
        Assert.Equal(all.Skip(1).Select(c => c.Hash).ToHashSet(), (await LsAsync(pins, PinType.Indirect)).Select(p => p.Cid.Hash).ToHashSet());
        Assert.Empty(await LsAsync(pins, PinType.Direct));
    }

    [Fact]
    public async Task AddDirect_PinsOnlyTheBlock_AndV0FindsV1Pin()
    {
        (Cid root, Cid[] all) = await TestDag.PutTreeAsync(_blocks, "direct", Ct);
        PinManager pins = Pins();

        await pins.AddAsync(root, recursive: false, Ct);

        Assert.True(await pins.IsPinnedAsync(Cid.CreateV0(root.Hash), Ct));
        Assert.False(await pins.IsPinnedAsync(all[1], Ct));
        Assert.Equal([new Pin(root, PinType.Direct)], await LsAsync(pins));
    }

    [Fact]
    public async Task Add_MissingBlockInDag_FailsAndLeavesNoPinOrIndex()
    {
        (Cid root, Cid[] all) = await TestDag.PutTreeAsync(_blocks, "broken", Ct);
        await _blocks.DeleteAsync(all[3], Ct);
        PinManager pins = Pins();

        await Assert.ThrowsAsync<BlockNotFoundException>(() => pins.AddAsync(root, cancellationToken: Ct));

        Assert.Empty(await LsAsync(pins));
        Assert.False(await pins.IsPinnedAsync(all[2], Ct));
        await foreach (KeyValuePair<DatastoreKey, ReadOnlyMemory<byte>> entry in _datastore.QueryAsync("/", Ct))
        {
            Assert.Fail($"left behind: {entry.Key}");
        }
    }

    [Fact]
    public async Task Add_UnknownCodec_ThrowsUnsupportedCodec()
    {
        byte[] bytes = [0xa0];
        Cid cid = Cid.CreateV1(Multicodec.DagCbor, Multihash.Compute(Multicodec.Sha2_256, bytes));
        await _blocks.PutAsync(cid, bytes, Ct);

        await Assert.ThrowsAsync<UnsupportedCodecException>(() => Pins().AddAsync(cid, cancellationToken: Ct));
    }

    [Fact]
    public async Task Remove_RecursivePin_UnpinsItsBlocks_ButSharedBlocksStayPinned()
    {
        (Cid first, Cid[] firstAll) = await TestDag.PutTreeAsync(_blocks, "shared", Ct);
        Cid second = await TestDag.PutNodeAsync(_blocks, [firstAll[1]], Ct);
        PinManager pins = Pins();
        await pins.AddAsync(first, cancellationToken: Ct);
        await pins.AddAsync(second, cancellationToken: Ct);

        await pins.RemoveAsync(first, Ct);

        Assert.False(await pins.IsPinnedAsync(first, Ct));
        Assert.False(await pins.IsPinnedAsync(firstAll[4], Ct));
        Assert.True(await pins.IsPinnedAsync(firstAll[1], Ct));
        Assert.True(await pins.IsPinnedAsync(firstAll[2], Ct));
        await Assert.ThrowsAsync<NotPinnedException>(() => pins.RemoveAsync(first, Ct));
    }

    [Fact]
    public async Task Pins_SurviveRestart()
    {
        (Cid root, Cid[] all) = await TestDag.PutTreeAsync(_blocks, "restart", Ct);
        string path = _dir.Combine("ds.sqlite");
        await using (SqliteDatastore ds = await SqliteDatastore.OpenAsync(path, cancellationToken: Ct))
        {
            await Pins(ds).AddAsync(root, cancellationToken: Ct);
            await Pins(ds).AddAsync(all[4], recursive: false, Ct);
        }

        await using SqliteDatastore reopened = await SqliteDatastore.OpenAsync(path, cancellationToken: Ct);
        PinManager pins = Pins(reopened);

        Assert.True(await pins.IsPinnedAsync(all[3], Ct));
        Assert.Equal(
            new[] { new Pin(root, PinType.Recursive), new Pin(all[4], PinType.Direct) }.ToHashSet(),
            (await LsAsync(pins)).Where(p => p.Type != PinType.Indirect).ToHashSet());
    }
}
