using System.Runtime.CompilerServices;
using Helia.Core.Blocks;
using Helia.Core.Datastore;
using Helia.Core.Ipld;
using Helia.Core.Pins;
using Helia.Multiformats;
using Helia.Tests.Blocks;

namespace Helia.Tests.Pins;

public sealed class GarbageCollectorTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly GcBlockstore _blocks;
    private readonly PinManager _pins;
    private readonly GarbageCollector _gc;

    public GarbageCollectorTests()
    {
        _blocks = new GcBlockstore(new FlatFsBlockstore(_dir.Combine("blocks"), new FlatFsBlockstoreOptions { Sync = false }));
        BlockCodecs codecs = BlockCodecs.CreateDefault();
        _pins = new PinManager(new MemoryDatastore(), _blocks, codecs);
        _gc = new GarbageCollector(_blocks, _pins, codecs);
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => _dir.Dispose();

    private async Task<HashSet<Multihash>> CollectAsync()
    {
        HashSet<Multihash> removed = [];
        await foreach (Cid cid in _gc.CollectAsync(Ct))
        {
            Assert.True(removed.Add(cid.Hash));
        }

        return removed;
    }

    [Fact]
    public async Task Collect_RemovesUnpinned_KeepsPinnedAndIndirect_AndReportsWhatItRemoved()
    {
        (Cid kept, Cid[] keptAll) = await TestDag.PutTreeAsync(_blocks, "kept", Ct);
        (_, Cid[] goneAll) = await TestDag.PutTreeAsync(_blocks, "gone", Ct);
        Cid direct = await TestDag.PutLeafAsync(_blocks, "direct", Ct);
        await _pins.AddAsync(kept, cancellationToken: Ct);
        await _pins.AddAsync(direct, recursive: false, Ct);

        HashSet<Multihash> removed = await CollectAsync();

        Assert.Equal(goneAll.Select(c => c.Hash).ToHashSet(), removed);
        foreach (Cid cid in keptAll.Append(direct))
        {
            Assert.True(await _blocks.HasAsync(cid, Ct));
        }

        foreach (Cid cid in goneAll)
        {
            Assert.False(await _blocks.HasAsync(cid, Ct));
        }

        Assert.Empty(await CollectAsync());
    }

    [Fact]
    public async Task Collect_KeepsBlocksPutUnderAGuard_UntilTheLastGuardEnds()
    {
        IDisposable first = _blocks.KeepNewBlocks();
        IDisposable second = _blocks.KeepNewBlocks();
        (_, Cid[] all) = await TestDag.PutTreeAsync(_blocks, "adding", Ct);

        Assert.Empty(await CollectAsync());
        first.Dispose();
        first.Dispose();   // idempotent: does not end the second guard
        Assert.Empty(await CollectAsync());

        second.Dispose();
        Assert.Equal(all.Select(c => c.Hash).ToHashSet(), await CollectAsync());
    }

    [Fact]
    public async Task Collect_KeepsDagsOfRegisteredRootProviders_UntilRemoved()
    {
        (Cid root, Cid[] all) = await TestDag.PutTreeAsync(_blocks, "mfs", Ct);
        IDisposable registration = _gc.AddRootProvider(new Roots(root));

        Assert.Empty(await CollectAsync());

        registration.Dispose();
        Assert.Equal(all.Select(c => c.Hash).ToHashSet(), await CollectAsync());
    }

    [Fact]
    public async Task Collect_WithConcurrentPuts_NeverLosesABlockPutDuringIt()
    {
        for (int i = 0; i < 300; i++)
        {
            await TestDag.PutLeafAsync(_blocks, $"garbage {i}", Ct);
        }

        // Once the run has begun (it removed one block), a writer re-puts every garbage block and adds fresh ones while
        // the sweep goes on: every one of them must remain, whichever of put and delete reaches a block first.
        HashSet<Multihash> removed = [];
        await using IAsyncEnumerator<Cid> sweep = _gc.CollectAsync(Ct).GetAsyncEnumerator(Ct);
        Assert.True(await sweep.MoveNextAsync());
        removed.Add(sweep.Current.Hash);
        var putDuring = new System.Collections.Concurrent.ConcurrentBag<Cid>();
        Task writer = Task.Run(
            async () =>
            {
                for (int i = 0; i < 300; i++)
                {
                    putDuring.Add(await TestDag.PutLeafAsync(_blocks, $"garbage {i}", Ct));
                    putDuring.Add(await TestDag.PutLeafAsync(_blocks, $"fresh {i}", Ct));
                }
            },
            Ct);
        while (await sweep.MoveNextAsync())
        {
            removed.Add(sweep.Current.Hash);
        }

        await writer.WaitAsync(TimeSpan.FromSeconds(20), Ct);

        Assert.Equal(600, putDuring.Count);
        foreach (Cid cid in putDuring)
        {
            Assert.True(await _blocks.HasAsync(cid, Ct), $"{cid} was put during collection and lost");
        }
    }

    [Fact]
    public async Task Collect_RootProviderWithMissingBlock_AbortsWithoutDeleting()
    {
        (Cid root, Cid[] all) = await TestDag.PutTreeAsync(_blocks, "broken", Ct);
        Cid garbage = await TestDag.PutLeafAsync(_blocks, "garbage", Ct);
        await _blocks.DeleteAsync(all[1], Ct);
        using IDisposable registration = _gc.AddRootProvider(new Roots(root));

        await Assert.ThrowsAsync<BlockNotFoundException>(CollectAsync);

        Assert.True(await _blocks.HasAsync(garbage, Ct));
    }

    private sealed class Roots(params Cid[] roots) : IGcRootProvider
    {
        public async IAsyncEnumerable<Cid> GetRootsAsync([EnumeratorCancellation] CancellationToken cancellationToken)
        {
            await Task.Yield();
            foreach (Cid root in roots)
            {
                yield return root;
            }
        }
    }
}
