using System.Runtime.CompilerServices;
using System.Text;
using Helia.Core.Datastore;
using Helia.Libp2p;
using Helia.Libp2p.Crypto;
using Helia.Libp2p.Host;
using Helia.Libp2p.Protocols.Identify;
using Helia.Multiformats;
using Helia.Tests.Blocks;

namespace Helia.Tests.Node;

public sealed class PeerStorePersistenceTests : IDisposable
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(10);
    private static readonly Multiaddr s_loopback = Multiaddr.Parse("/ip4/127.0.0.1/tcp/0");
    private readonly TempDirectory _dir = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Restart_KnownPeer_DialedByIdAloneFromTheRepo()
    {
        string repo = _dir.Combine("repo");
        await using HeliaNode other = await new HeliaBuilder().UseLibp2p(Loopback()).BuildAsync(Ct);

        await using (HeliaNode first = await new HeliaBuilder().UseRepository(repo).UseLibp2p(Loopback()).BuildAsync(Ct))
        {
            Task identified = IdentifiedAsync(first.Libp2p, other.Id);
            await first.Libp2p.DialAsync(other.Libp2p.ListenAddresses[0].WithPeerId(other.Id), Ct);
            await identified.WaitAsync(s_timeout, Ct);
        }

        await using HeliaNode restarted = await new HeliaBuilder().UseRepository(repo).UseLibp2p(Loopback()).BuildAsync(Ct);

        PeerRecord known = restarted.Libp2p.PeerStore.Get(other.Id) ?? throw new Xunit.Sdk.XunitException("The peer was not loaded.");
        Assert.Contains(other.Libp2p.ListenAddresses[0], known.Addresses);
        Assert.Equal(IdentifyOptions.DefaultAgentVersion, known.AgentVersion);
        Assert.Contains(IdentifyService.ProtocolId, known.Protocols);
        Assert.Equal(other.PublicKey.Marshal(), known.PublicKey.ToArray());
        IConnection connection = await restarted.Libp2p.DialAsync(other.Id, Ct).AsTask().WaitAsync(s_timeout, Ct);
        Assert.Equal(other.Id, connection.RemotePeer);
    }

    [Fact]
    public async Task Load_CorruptOversizedAndForeignRecords_SkippedAndTheGoodOneLoadedWithoutExpiredAddresses()
    {
        var datastore = new MemoryDatastore();
        using PrivateKey goodKey = Ed25519PrivateKey.Generate();
        using PrivateKey otherKey = Ed25519PrivateKey.Generate();
        PeerId good = IdOf(goodKey);
        Multiaddr live = Multiaddr.Parse("/ip4/127.0.0.1/tcp/4001");
        Multiaddr expired = Multiaddr.Parse("/ip4/127.0.0.1/tcp/4002");
        DateTimeOffset now = DateTimeOffset.UtcNow;
        await Put(datastore, good, Record(good, goodKey, (live, now.AddHours(1)), (expired, now.AddMinutes(-1))));

        PeerId garbage = IdOf(Ed25519PrivateKey.Generate());
        await Put(datastore, garbage, "{\"v\":1,\"id\":"u8.ToArray());
        PeerId oversized = IdOf(Ed25519PrivateKey.Generate());
        await Put(datastore, oversized, Encoding.UTF8.GetBytes($"{{\"v\":1,\"id\":\"{oversized}\",\"agentVersion\":\"{new string('x', PersistedPeer.MaxSize)}\"}}"));
        PeerId impostor = IdOf(Ed25519PrivateKey.Generate());
        await Put(datastore, impostor, Record(impostor, otherKey, (live, now.AddHours(1))));   // someone else's key
        PeerId misfiled = IdOf(Ed25519PrivateKey.Generate());
        await Put(datastore, misfiled, Record(good, goodKey));                                  // another peer's record
        PeerId badAddress = IdOf(Ed25519PrivateKey.Generate());
        await Put(datastore, badAddress, Encoding.UTF8.GetBytes($"{{\"v\":1,\"id\":\"{badAddress}\",\"addresses\":[{{\"addr\":\"/ip4/999.1.1.1/tcp/1\",\"expires\":1}}]}}"));
        await datastore.PutAsync(PeerStorePersistence.Prefix.Child("not-a-peer-id"), Record(good, goodKey), Ct);

        using PrivateKey hostKey = Ed25519PrivateKey.Generate();
        await using Libp2pHost host = Libp2pHost.Create(Loopback(), hostKey);
        await using var persistence = new PeerStorePersistence(host, host.PeerStore, datastore);
        PeerStoreLoadResult result = await persistence.LoadAsync(Ct);

        Assert.Equal(new PeerStoreLoadResult(Loaded: 1, Skipped: 6), result);
        Assert.Equal([good], host.PeerStore.Peers);
        PeerRecord loaded = host.PeerStore.Get(good)!;
        Assert.Equal([live], loaded.Addresses);
        Assert.Equal(["/ipfs/id/1.0.0", "/ipfs/ping/1.0.0"], loaded.Protocols);
        Assert.Equal("test-agent/1", loaded.AgentVersion);
        Assert.Equal(goodKey.PublicKey.Marshal(), loaded.PublicKey.ToArray());
    }

    [Fact]
    public async Task Save_DatastoreThrowsOrHangs_HostEventsKeepFlowingAndDisposeIsBounded()
    {
        var datastore = new FailingDatastore();
        using PrivateKey key = Ed25519PrivateKey.Generate();
        await using Libp2pHost host = Libp2pHost.Create(Loopback(), key);
        var persistence = new PeerStorePersistence(host, host.PeerStore, datastore) { DrainTimeout = TimeSpan.FromMilliseconds(200) };
        persistence.Start();
        await host.StartAsync(Ct);

        // The first put throws, the second never returns: identify events must still reach every handler.
        await using HeliaNode first = await new HeliaBuilder().UseLibp2p(Loopback()).BuildAsync(Ct);
        await using HeliaNode second = await new HeliaBuilder().UseLibp2p(Loopback()).BuildAsync(Ct);
        await using HeliaNode third = await new HeliaBuilder().UseLibp2p(Loopback()).BuildAsync(Ct);
        foreach (HeliaNode peer in (HeliaNode[])[first, second, third])
        {
            Task identified = IdentifiedAsync(host, peer.Id);
            await host.DialAsync(peer.Libp2p.ListenAddresses[0].WithPeerId(peer.Id), Ct);
            await identified.WaitAsync(s_timeout, Ct);
        }

        await datastore.Hanging.WaitAsync(s_timeout, Ct);
        Assert.True(datastore.Puts >= 2);
        await persistence.DisposeAsync().AsTask().WaitAsync(s_timeout, Ct);   // gives up on the hanging put
    }

    private static Libp2pHostOptions Loopback() => new() { ListenAddresses = [s_loopback] };

    private static PeerId IdOf(PrivateKey key) => PeerId.FromMultihash(key.PublicKey.ToPeerIdMultihash());

    private static Task IdentifiedAsync(ILibp2pHost host, PeerId peer)
    {
        var identified = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        host.PeerIdentified += (_, e) =>
        {
            if (e.Peer == peer)
            {
                identified.TrySetResult();
            }
        };
        return identified.Task;
    }

    private static byte[] Record(PeerId id, PrivateKey key, params (Multiaddr Address, DateTimeOffset Expires)[] addresses) =>
        new PersistedPeer
        {
            Id = id,
            Addresses = [.. addresses.Select(a => new KeyValuePair<Multiaddr, DateTimeOffset>(a.Address, a.Expires))],
            Protocols = ["/ipfs/id/1.0.0", "/ipfs/ping/1.0.0"],
            PublicKey = key.PublicKey.Marshal(),
            AgentVersion = "test-agent/1",
        }.Encode();

    private static async Task Put(MemoryDatastore datastore, PeerId peer, byte[] value) =>
        await datastore.PutAsync(PeerStorePersistence.KeyOf(peer), value, Ct);

    /// <summary>The first put throws; every later one hangs until cancelled.</summary>
    private sealed class FailingDatastore : IDatastore
    {
        private readonly TaskCompletionSource _hanging = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _puts;

        public int Puts => _puts;

        public Task Hanging => _hanging.Task;

        public async ValueTask PutAsync(DatastoreKey key, ReadOnlyMemory<byte> value, CancellationToken cancellationToken = default)
        {
            if (Interlocked.Increment(ref _puts) == 1)
            {
                throw new IOException("disk on fire");
            }

            _hanging.TrySetResult();
            await Task.Delay(Timeout.Infinite, cancellationToken);
        }

        public ValueTask<bool> HasAsync(DatastoreKey key, CancellationToken cancellationToken = default) => ValueTask.FromResult(false);

        public ValueTask<ReadOnlyMemory<byte>?> GetAsync(DatastoreKey key, CancellationToken cancellationToken = default) =>
            ValueTask.FromResult<ReadOnlyMemory<byte>?>(null);

        public ValueTask DeleteAsync(DatastoreKey key, CancellationToken cancellationToken = default) => ValueTask.CompletedTask;

        public async IAsyncEnumerable<KeyValuePair<DatastoreKey, ReadOnlyMemory<byte>>> QueryAsync(
            DatastoreKey prefix, [EnumeratorCancellation] CancellationToken cancellationToken = default)
        {
            await Task.CompletedTask;
            yield break;
        }
    }
}
