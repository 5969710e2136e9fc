using Helia.Core.Blocks;
using Helia.Core.Datastore;
using Helia.Core.Ipld;
using Helia.Core.Pins;
using Helia.Multiformats;

namespace Helia.Tests.Pins;

/// <summary>PinManager.GetAsync: how one CID is pinned, by keyed reads rather than a listing of every pin record.</summary>
public sealed class PinLookupTests
{
    private readonly MemoryBlockstore _blocks = new();
    private readonly QueryCountingDatastore _datastore = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Get_DirectAndRecursive_AreKeyedReads_NoPinListing()
    {
        var pins = new PinManager(_datastore, _blocks, BlockCodecs.CreateDefault());
        (Cid root, _) = await TestDag.PutTreeAsync(_blocks, "keyed", Ct);
        Cid direct = await TestDag.PutLeafAsync(_blocks, "direct", Ct);
        for (int i = 0; i < 50; i++)
        {
            await pins.AddAsync(await TestDag.PutLeafAsync(_blocks, $"other {i}", Ct), recursive: false, Ct);
        }

        await pins.AddAsync(root, cancellationToken: Ct);
        await pins.AddAsync(direct, recursive: false, Ct);
        _datastore.Queries = 0;

        Pin? recursivePin = await pins.GetAsync(root, Ct);
        Pin? directPin = await pins.GetAsync(Cid.CreateV0(direct.Hash), Ct);   // v0 of a v1 pin: same multihash

        Assert.Equal(new Pin(root, PinType.Recursive), recursivePin);
        Assert.Equal(PinType.Direct, directPin?.Type);
        Assert.Equal(0, _datastore.Queries);
    }

    [Fact]
    public async Task Get_IndirectAndUnpinned()
    {
        var pins = new PinManager(_datastore, _blocks, BlockCodecs.CreateDefault());
        (Cid root, Cid[] all) = await TestDag.PutTreeAsync(_blocks, "indirect", Ct);
        Cid outside = await TestDag.PutLeafAsync(_blocks, "outside", Ct);
        await pins.AddAsync(root, cancellationToken: Ct);

        Assert.Equal(new Pin(all[^1], PinType.Indirect), await pins.GetAsync(all[^1], Ct));
        Assert.Null(await pins.GetAsync(outside, Ct));
        await pins.RemoveAsync(root, Ct);
        Assert.Null(await pins.GetAsync(all[^1], Ct));
        Assert.Null(await pins.GetAsync(root, Ct));
    }

    /// <summary>The in-memory datastore, counting prefix queries (the scans a keyed lookup must not need).</summary>
    private sealed class QueryCountingDatastore : IDatastore
    {
        private readonly MemoryDatastore _inner = new();

        public int Queries { get; set; }

        public ValueTask<bool> HasAsync(DatastoreKey key, CancellationToken cancellationToken = default) => _inner.HasAsync(key, cancellationToken);

        public ValueTask<ReadOnlyMemory<byte>?> GetAsync(DatastoreKey key, CancellationToken cancellationToken = default) => _inner.GetAsync(key, cancellationToken);

        public ValueTask PutAsync(DatastoreKey key, ReadOnlyMemory<byte> value, CancellationToken cancellationToken = default) => _inner.PutAsync(key, value, cancellationToken);

        public ValueTask DeleteAsync(DatastoreKey key, CancellationToken cancellationToken = default) => _inner.DeleteAsync(key, cancellationToken);

        public IAsyncEnumerable<KeyValuePair<DatastoreKey, ReadOnlyMemory<byte>>> QueryAsync(DatastoreKey prefix, CancellationToken cancellationToken = default)
        {
            Queries++;
            return _inner.QueryAsync(prefix, cancellationToken);
        }
    }
}
