using Helia.Core.Blocks;
using Helia.Multiformats;

namespace Helia.Tests.Bitswap;

public class NetworkedBlockstoreTests
{
    private static readonly byte[] s_data = "networked block"u8.ToArray();
    private static readonly Cid s_cid = Cid.Compute(Multicodec.Raw, s_data);

    [Fact]
    public async Task GetAsync_LocalHit_NeverAsksBrokers()
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        var local = new MemoryBlockstore();
        await local.PutAsync(s_cid, s_data, ct);
        var broker = new FakeBroker("a", (_, _) => throw new InvalidOperationException("must not be asked"));
        var store = new NetworkedBlockstore(local, [broker]);

        ReadOnlyMemory<byte> bytes = await store.GetAsync(s_cid, ct);

        Assert.Equal(s_data, bytes.ToArray());
        Assert.Equal(0, broker.Retrievals);
    }

    [Fact]
    public async Task GetAsync_Miss_FetchesStoresAndAnnounces()
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        var local = new MemoryBlockstore();
        byte[] fetched = s_data.ToArray();
        var broker = new FakeBroker("a", (_, _) => Task.FromResult<ReadOnlyMemory<byte>>(fetched));
        var store = new NetworkedBlockstore(local, [broker]);
        var progress = new List<string>();

        ReadOnlyMemory<byte> bytes = await store.GetAsync(s_cid, new BlockGetOptions { Progress = new SyncProgress(p => progress.Add(p.Name)) }, ct);

        Assert.Equal(s_data, bytes.ToArray());
        Assert.True(await local.HasAsync(s_cid, ct));
        // A broker's bytes are never written again, so the memory store keeps them without a copy.
        Assert.True(System.Runtime.InteropServices.MemoryMarshal.TryGetArray(await local.GetAsync(s_cid, ct), out ArraySegment<byte> stored));
        Assert.Same(fetched, stored.Array);
        Assert.Equal([s_cid], broker.Announced);
        Assert.Contains("blocks:get:blockstore:put", progress);
    }

    [Fact]
    public async Task GetAsync_Offline_ThrowsWithoutTouchingBrokers()
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        var broker = new FakeBroker("a", (_, _) => throw new InvalidOperationException("must not be asked"));
        var store = new NetworkedBlockstore(new MemoryBlockstore(), [broker]);
        var offlineStore = new NetworkedBlockstore(new MemoryBlockstore(), [broker], new NetworkedBlockstoreOptions { Offline = true });

        await Assert.ThrowsAsync<BlockNotFoundException>(async () => await store.GetAsync(s_cid, new BlockGetOptions { Offline = true }, ct));
        await Assert.ThrowsAsync<BlockNotFoundException>(async () => await offlineStore.GetAsync(s_cid, ct));
        await offlineStore.PutAsync(s_cid, s_data, ct);
        Assert.Equal(0, broker.Retrievals);
        Assert.Empty(broker.Announced);
    }

    [Fact]
    public async Task GetAsync_TwoBrokers_FirstWinsAndTheOtherIsCancelled()
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        var slowCancelled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var slow = new FakeBroker("slow", async (_, token) =>
        {
            try
            {
                await Task.Delay(Timeout.Infinite, token);
            }
            finally
            {
                slowCancelled.TrySetResult();
            }

            return default;
        });
        var fast = new FakeBroker("fast", (_, _) => Task.FromResult<ReadOnlyMemory<byte>>(s_data.ToArray()));
        var store = new NetworkedBlockstore(new MemoryBlockstore(), [slow, fast]);

        ReadOnlyMemory<byte> bytes = await store.GetAsync(s_cid, ct).AsTask().WaitAsync(TimeSpan.FromSeconds(10), ct);

        Assert.Equal(s_data, bytes.ToArray());
        await slowCancelled.Task.WaitAsync(TimeSpan.FromSeconds(10), ct);
    }

    [Fact]
    public async Task GetAsync_EveryBrokerFails_ThrowsBlockNotFound()
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        var a = new FakeBroker("a", (cid, _) => throw new BlockNotFoundException(cid));
        var b = new FakeBroker("b", (cid, _) => throw new BlockNotFoundException(cid));
        var local = new MemoryBlockstore();
        var store = new NetworkedBlockstore(local, [a, b]);

        await Assert.ThrowsAsync<BlockNotFoundException>(async () => await store.GetAsync(s_cid, ct));
        Assert.False(await local.HasAsync(s_cid, ct));
    }

    [Fact]
    public async Task CreateSession_UsesTheBrokersSessions()
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        var session = new FakeBroker("session", (_, _) => Task.FromResult<ReadOnlyMemory<byte>>(s_data.ToArray()));
        var broker = new FakeBroker("a", (_, _) => throw new InvalidOperationException("the session must be asked")) { Session = session };
        var store = new NetworkedBlockstore(new MemoryBlockstore(), [broker]);

        IBlockstore sessionStore = store.CreateSession(s_cid);
        ReadOnlyMemory<byte> bytes = await sessionStore.GetAsync(s_cid, ct);

        Assert.Equal(s_data, bytes.ToArray());
        Assert.Equal(1, session.Retrievals);
        Assert.Equal(0, broker.Retrievals);
    }

    private sealed class SyncProgress(Action<BlockProgress> report) : IProgress<BlockProgress>
    {
        public void Report(BlockProgress value) => report(value);
    }

    private sealed class FakeBroker(string name, Func<Cid, CancellationToken, Task<ReadOnlyMemory<byte>>> retrieve) : IBlockBroker
    {
        private int _retrievals;

        public string Name => name;

        public int Retrievals => _retrievals;

        public List<Cid> Announced { get; } = [];

        public IBlockBroker? Session { get; init; }

        public async ValueTask<ReadOnlyMemory<byte>> RetrieveAsync(Cid cid, BlockRetrievalOptions options, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _retrievals);
            return await retrieve(cid, cancellationToken);
        }

        public ValueTask AnnounceAsync(Cid cid, CancellationToken cancellationToken)
        {
            Announced.Add(cid);
            return ValueTask.CompletedTask;
        }

        public IBlockBroker? CreateSession(Cid root, SessionOptions options) => Session;
    }
}
