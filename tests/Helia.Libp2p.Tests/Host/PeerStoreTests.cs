using Helia.Libp2p.Host;
using Helia.Libp2p.Tests.Discovery;
using Helia.Multiformats;

namespace Helia.Libp2p.Tests.Host;

public class PeerStoreTests
{
    private static readonly PeerId Peer = TestPeers.Create(1);
    private static readonly Multiaddr First = Multiaddr.Parse("/ip4/127.0.0.1/tcp/1");
    private static readonly Multiaddr Second = Multiaddr.Parse("/ip4/127.0.0.1/tcp/2");

    [Fact]
    public void AddAddresses_AfterTtl_Expire()
    {
        var clock = new ManualTimeProvider();
        var store = new PeerStore(clock);

        store.AddAddresses(Peer, [First], TimeSpan.FromMinutes(1));
        store.AddAddresses(Peer, [Second], TimeSpan.FromMinutes(10));
        Assert.Equal([First, Second], store.GetAddresses(Peer));

        clock.Advance(TimeSpan.FromMinutes(2));
        Assert.Equal([Second], store.GetAddresses(Peer));

        clock.Advance(TimeSpan.FromMinutes(10));
        Assert.Empty(store.GetAddresses(Peer));
        Assert.Empty(store.Peers);
    }

    [Fact]
    public void AddAddresses_LongerTtlAgain_Extends_ShorterDoesNotShorten()
    {
        var clock = new ManualTimeProvider();
        var store = new PeerStore(clock);

        store.AddAddresses(Peer, [First], TimeSpan.FromMinutes(10));
        store.AddAddresses(Peer, [First], TimeSpan.FromMinutes(1));
        clock.Advance(TimeSpan.FromMinutes(5));
        Assert.Equal([First], store.GetAddresses(Peer));

        store.AddAddresses(Peer, [First], TimeSpan.MaxValue);
        clock.Advance(TimeSpan.FromDays(3650));
        Assert.Equal([First], store.GetAddresses(Peer));
    }

    [Fact]
    public void AddAddresses_WithPeerIdSuffix_StoredWithout()
    {
        var store = new PeerStore();
        store.AddAddresses(Peer, [First.WithPeerId(Peer)], TimeSpan.FromMinutes(1));
        Assert.Equal([First], store.GetAddresses(Peer));
    }

    [Fact]
    public void AddAddresses_Many_BoundedPerPeer()
    {
        var store = new PeerStore();
        store.AddAddresses(Peer, Enumerable.Range(1, 200).Select(i => Multiaddr.Parse($"/ip4/10.0.0.1/tcp/{i}")), TimeSpan.FromMinutes(1));
        Assert.Equal(PeerStore.MaxAddressesPerPeer, store.GetAddresses(Peer).Count);
    }

    [Fact]
    public void ReplaceAddresses_ForgetsOthers_KeepsKeptWithTheirExpiry()
    {
        var clock = new ManualTimeProvider();
        var store = new PeerStore(clock);
        Multiaddr third = Multiaddr.Parse("/ip4/127.0.0.1/tcp/3"), fresh = Multiaddr.Parse("/ip4/127.0.0.1/tcp/4");
        store.AddAddresses(Peer, [First, Second, third], TimeSpan.FromMinutes(1));

        store.ReplaceAddresses(Peer, [fresh.WithPeerId(Peer)], TimeSpan.FromMinutes(10), keep: [Second, Multiaddr.Parse("/ip4/127.0.0.1/tcp/9")]);

        Assert.Equal([Second, fresh], store.GetAddresses(Peer).OrderBy(a => a.ToString()));
        clock.Advance(TimeSpan.FromMinutes(2));
        Assert.Equal([fresh], store.GetAddresses(Peer));   // the kept one expired on its own time
    }

    [Fact]
    public void ReplaceAddresses_UnknownPeerWithNothing_CreatesNoPeer()
    {
        var store = new PeerStore();
        store.ReplaceAddresses(Peer, [], TimeSpan.FromMinutes(1), keep: [First]);
        Assert.Null(store.Get(Peer));

        store.ReplaceAddresses(Peer, [First], TimeSpan.FromMinutes(1));
        Assert.Equal([First], store.GetAddresses(Peer));
    }

    [Fact]
    public async Task ReplaceAddresses_WhileAnotherThreadReads_NeverSeenEmptyOrMixed()
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        var store = new PeerStore();
        Multiaddr[][] sets = [[First, Second], [Multiaddr.Parse("/ip4/10.0.0.1/tcp/1"), Multiaddr.Parse("/ip4/10.0.0.1/tcp/2")]];
        store.AddAddresses(Peer, sets[0], TimeSpan.FromMinutes(1));
        using var done = new CancellationTokenSource();
        var readerStarted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Task writer = Task.Run(async () =>
        {
            await readerStarted.Task;   // so the reads overlap the writes however the pool schedules the two
            try
            {
                for (int i = 0; i < 50_000; i++)
                {
                    store.ReplaceAddresses(Peer, sets[i % 2], TimeSpan.FromMinutes(1));
                }
            }
            finally
            {
                done.Cancel();
            }
        }, ct);
        Task<int> reader = Task.Run(() =>
        {
            int reads = 0;
            readerStarted.SetResult();
            do
            {
                IReadOnlyList<Multiaddr> seen = store.GetAddresses(Peer);
                Assert.True(seen.Count == 2 && (seen.All(sets[0].Contains) || seen.All(sets[1].Contains)), $"A reader saw [{string.Join(", ", seen)}].");
                reads++;
            }
            while (!done.IsCancellationRequested);

            return reads;
        }, ct);

        await writer.WaitAsync(TimeSpan.FromSeconds(30), ct);
        Assert.True(await reader.WaitAsync(TimeSpan.FromSeconds(30), ct) > 0);
    }

    [Fact]
    public void SetProtocolsAndIdentity_Get_ReturnsEverything()
    {
        var store = new PeerStore();
        store.AddAddresses(Peer, [First], TimeSpan.FromMinutes(1));
        store.SetProtocols(Peer, ["/ipfs/ping/1.0.0", "/ipfs/id/1.0.0", "/ipfs/ping/1.0.0"]);
        store.SetIdentity(Peer, new byte[] { 8, 1 }, "js-libp2p/3.3.11", Second);
        store.SetIdentity(Peer, ReadOnlyMemory<byte>.Empty, null, null);   // a partial update keeps what is known

        PeerRecord record = store.Get(Peer)!;

        Assert.Equal([First], record.Addresses);
        Assert.Equal(["/ipfs/ping/1.0.0", "/ipfs/id/1.0.0"], record.Protocols);
        Assert.Equal(new byte[] { 8, 1 }, record.PublicKey.ToArray());
        Assert.Equal("js-libp2p/3.3.11", record.AgentVersion);
        Assert.Equal(Second, record.ObservedAddress);
        Assert.Null(store.Get(TestPeers.Create(2)));
    }

    [Fact]
    public void AddAddresses_PastMaxPeers_NewPeersRefusedUntilOldOnesExpire()
    {
        var clock = new ManualTimeProvider();
        var store = new PeerStore(clock, maxPeers: 2);
        store.AddAddresses(TestPeers.Create(1), [First], TimeSpan.FromMinutes(1));
        store.AddAddresses(TestPeers.Create(2), [First], TimeSpan.FromMinutes(1));

        store.AddAddresses(TestPeers.Create(3), [First], TimeSpan.FromMinutes(1));
        Assert.Empty(store.GetAddresses(TestPeers.Create(3)));

        clock.Advance(TimeSpan.FromMinutes(2));
        store.AddAddresses(TestPeers.Create(3), [First], TimeSpan.FromMinutes(1));
        Assert.Equal([TestPeers.Create(3)], store.Peers);
    }
}
