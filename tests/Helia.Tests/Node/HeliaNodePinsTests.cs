using Helia.Core.Datastore;
using Helia.Core.Pins;
using Helia.Multiformats;
using Helia.Tests.Blocks;
using Helia.Tests.Pins;

namespace Helia.Tests.Node;

public sealed class HeliaNodePinsTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task GarbageCollect_OfflineNode_RemovesUnpinnedKeepsPinned()
    {
        await using HeliaNode node = await new HeliaBuilder().BuildAsync(Ct);
        (Cid kept, Cid[] keptAll) = await TestDag.PutTreeAsync(node.Blockstore, "kept", Ct);
        (_, Cid[] goneAll) = await TestDag.PutTreeAsync(node.Blockstore, "gone", Ct);
        await node.Pins.AddAsync(kept, cancellationToken: Ct);

        HashSet<Multihash> removed = [];
        await foreach (Cid cid in node.GarbageCollectAsync(Ct))
        {
            removed.Add(cid.Hash);
        }

        Assert.Equal(goneAll.Select(c => c.Hash).ToHashSet(), removed);
        foreach (Cid cid in keptAll)
        {
            Assert.True(await node.LocalBlockstore.HasAsync(cid, Ct));
        }
    }

    [Fact]
    public async Task Pins_InRepository_SurviveRestart()
    {
        string repo = _dir.Combine("repo");
        Cid root;
        await using (HeliaNode node = await new HeliaBuilder().UseRepository(repo).BuildAsync(Ct))
        {
            (root, _) = await TestDag.PutTreeAsync(node.Blockstore, "persisted", Ct);
            await node.Pins.AddAsync(root, cancellationToken: Ct);
        }

        await using HeliaNode reopened = await new HeliaBuilder().UseRepository(repo).BuildAsync(Ct);
        var pins = new List<Pin>();
        await foreach (Pin pin in reopened.Pins.LsAsync(PinType.Recursive, Ct))
        {
            pins.Add(pin);
        }

        Assert.Equal([new Pin(root, PinType.Recursive)], pins);
        await foreach (Cid _ in reopened.GarbageCollectAsync(Ct))
        {
            Assert.Fail("a pinned DAG was collected");
        }
    }

    [Fact]
    public async Task UseDatastore_PinsGoToTheGivenStore()
    {
        var datastore = new MemoryDatastore();
        await using HeliaNode node = await new HeliaBuilder().UseDatastore(datastore).BuildAsync(Ct);
        Cid leaf = await TestDag.PutLeafAsync(node.Blockstore, "leaf", Ct);

        await node.Pins.AddAsync(leaf, recursive: false, Ct);

        Assert.Same(datastore, node.Datastore);
        Assert.NotEmpty(await datastore.QueryAsync(new DatastoreKey("/pins"), Ct).ToListAsync(Ct));
    }
}
