using System.Runtime.CompilerServices;
using Helia.Bitswap;
using Helia.Bitswap.Messages;
using Helia.Bitswap.Sessions;
using Helia.Core.Blocks;
using Helia.Core.Routing;
using Helia.Multiformats;

namespace Helia.Tests.Bitswap;

public class BitswapServiceTests
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task GetAsync_TwoThousandRawBlocks_FetchedVerifiedAndStored()
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        var network = new MemoryNetwork();
        await using var provider = new BitswapTestNode(network);
        await using var fetcher = new BitswapTestNode(network);
        List<(Cid Cid, byte[] Data)> blocks = BitswapTestNode.MakeBlocks(2000, 1, 8192, seed: 1);
        await provider.PutAllAsync(blocks, ct);
        MemoryNetwork.Connect(fetcher.Host, provider.Host);

        Task<ReadOnlyMemory<byte>[]> all = Task.WhenAll(blocks.Select(b => fetcher.Blocks.GetAsync(b.Cid, ct).AsTask()));
        try
        {
            await all.WaitAsync(s_timeout, ct);
        }
        catch (TimeoutException)
        {
            BitswapStat s = fetcher.Service.GetStat();
            Assert.Fail($"recv {s.BlocksReceived} dup {s.DuplicateBlocksReceived} unwanted {s.UnwantedBlocksReceived} wl {s.Wantlist.Count} peers {s.Peers.Count} provider ledger {provider.Service.GetLedger(fetcher.Id)} remote wl {provider.Service.GetWantlist(fetcher.Id).Count} msgs {s.MessagesReceived}\n"
                + string.Join('\n', [.. provider.Logs.Lines, .. fetcher.Logs.Lines]));
        }

        ReadOnlyMemory<byte>[] fetched = await all;
        for (int i = 0; i < blocks.Count; i++)
        {
            Assert.True(fetched[i].Span.SequenceEqual(blocks[i].Data));
            Assert.True(await fetcher.Local.HasAsync(blocks[i].Cid, ct));
        }

        BitswapStat stat = fetcher.Service.GetStat();
        Assert.Equal(2000, stat.BlocksReceived);
        Assert.Equal(blocks.Sum(b => (long)b.Data.Length), stat.DataReceived);
        Assert.Empty(stat.Wantlist);

        // Every block went out at least once. Not exactly once: a want retried while the provider is still working
        // through its queue reaches it again after it was served, and it serves it again (a CI run sent 20% more).
        Assert.InRange(provider.Service.GetLedger(fetcher.Id)!.BytesSent, blocks.Sum(b => (long)b.Data.Length), long.MaxValue);
    }

    /// <summary>
    /// Sessions retry faster than the provider answers (as on a loaded machine), so want-blocks reach it again after it
    /// served them. Its copy of our wantlist must still never exceed the limit it enforces: it cut the fetcher off
    /// ("wants more than 1024 blocks") when a block's sender got no cancel for the want it held again, or a cancel went
    /// on the wire after the next want took the freed slot, or a retry went out after the cancel.
    /// </summary>
    [Fact]
    public async Task GetAsync_RetriesFasterThanTheProviderAnswers_ProviderNeverCutsTheFetcherOff()
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        var network = new MemoryNetwork();
        var options = new BitswapOptions { MaxWantsPerPeer = 256, RebroadcastInterval = TimeSpan.FromMilliseconds(5) };
        await using var provider = new BitswapTestNode(network, options);
        await using var fetcher = new BitswapTestNode(network, options);
        List<(Cid Cid, byte[] Data)> blocks = BitswapTestNode.MakeBlocks(1000, 1, 8192, seed: 8);
        await provider.PutAllAsync(blocks, ct);
        MemoryNetwork.Connect(fetcher.Host, provider.Host);

        Task<ReadOnlyMemory<byte>[]> all = Task.WhenAll(blocks.Select(b => fetcher.Blocks.GetAsync(b.Cid, ct).AsTask()));
        await Task.WhenAny(all, Task.Delay(s_timeout, ct));

        Assert.True(all.IsCompletedSuccessfully, string.Join('\n', [$"{fetcher.Service.GetStat().BlocksReceived} of {blocks.Count} fetched", .. provider.Logs.Lines, .. fetcher.Logs.Lines]));
        Assert.DoesNotContain(provider.Logs.Lines, line => line.Contains("Cutting off", StringComparison.Ordinal));
        Assert.NotNull(provider.Service.GetLedger(fetcher.Id));
        Assert.Contains(provider.Id, fetcher.Service.GetStat().Peers);
        ReadOnlyMemory<byte>[] fetched = await all;
        for (int i = 0; i < blocks.Count; i++)
        {
            Assert.True(fetched[i].Span.SequenceEqual(blocks[i].Data));
        }
    }

    /// <summary>
    /// The peer gets want-block twice (the session's retry) and sends the block once: a server forgets a want when it
    /// sends the block, so it holds this one again. The fetcher must cancel it with that peer too, before the freed
    /// slot goes to the next want; otherwise the peer counts one want more than we have, and at MaxWantsPerPeer it cuts
    /// us off.
    /// </summary>
    [Fact]
    public async Task Session_BlockArrivesAfterTheRetry_SenderGetsTheCancelBeforeTheNextWant()
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        var network = new MemoryNetwork();
        await using var fetcher = new BitswapTestNode(network, new BitswapOptions { MaxWantsPerPeer = 1, RebroadcastInterval = TimeSpan.FromMilliseconds(300) });
        await using var peer = new RawBitswapPeer(network);
        MemoryNetwork.Connect(fetcher.Host, peer.Memory);
        byte[][] blocks = ["one block"u8.ToArray(), "another block"u8.ToArray()];
        Cid[] cids = [.. blocks.Select(b => Cid.Compute(Multicodec.Raw, b))];
        Task<ReadOnlyMemory<byte>>[] gets = [.. cids.Select(c => fetcher.Blocks.GetAsync(c, ct).AsTask())];

        // One want at a time (the limit is 1): whichever got the slot is asked first.
        WantlistEntry first = await NextWantAsync(peer, cids, WantType.Have, ct);
        int x = Array.IndexOf(cids, first.Cid);
        int y = 1 - x;
        var have = new BitswapMessage();
        have.BlockPresences.Add(new BlockPresence(cids[x], BlockPresenceType.Have));
        await peer.SendAsync(fetcher.Id, have, ct);
        await NextWantAsync(peer, [cids[x]], WantType.Block, ct);
        await NextWantAsync(peer, [cids[x]], WantType.Block, ct);   // the retry
        await peer.SendAsync(fetcher.Id, WithBlock(cids[x], blocks[x]), ct);

        bool cancelledFirst = false;
        bool askedForTheOther = false;
        while (!askedForTheOther)
        {
            foreach (WantlistEntry entry in (await peer.ReceiveAsync(ct)).Wantlist)
            {
                if (entry.Cid == cids[x] && entry.Cancel)
                {
                    cancelledFirst = true;
                }
                else if (entry.Cid == cids[y] && !entry.Cancel)
                {
                    askedForTheOther = true;
                    break;
                }
            }
        }

        Assert.True(cancelledFirst, "the next want reached the peer before a cancel of the want it held again");
        await peer.SendAsync(fetcher.Id, WithBlock(cids[y], blocks[y]), ct);
        Assert.Equal(blocks[x], (await gets[x].WaitAsync(s_timeout, ct)).ToArray());
        Assert.Equal(blocks[y], (await gets[y].WaitAsync(s_timeout, ct)).ToArray());
    }

    [Fact]
    public async Task WantAsync_ConcurrentWaiters_ShareOneWantAndTheLastCancelGoesOnTheWire()
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        var network = new MemoryNetwork();
        await using var provider = new BitswapTestNode(network);
        await using var fetcher = new BitswapTestNode(network);
        MemoryNetwork.Connect(fetcher.Host, provider.Host);
        Cid missing = Cid.Compute(Multicodec.Raw, "not yet"u8);
        Task<BitswapMessage> wantArrived = provider.NextMessageAsync(fetcher.Id, m => m.Wantlist.Any(e => e.Cid == missing && !e.Cancel));

        using var first = CancellationTokenSource.CreateLinkedTokenSource(ct);
        using var second = CancellationTokenSource.CreateLinkedTokenSource(ct);
        Task<ReadOnlyMemory<byte>> a = fetcher.Service.WantAsync(missing, first.Token);
        Task<ReadOnlyMemory<byte>> b = fetcher.Service.WantAsync(missing, second.Token);
        BitswapMessage want = await wantArrived.WaitAsync(s_timeout, ct);

        Assert.Single(want.Wantlist, e => e.Cid == missing);
        Assert.Equal(1, fetcher.Service.Client.WantlistSize);
        Assert.Equal([missing], provider.Service.GetWantlist(fetcher.Id));

        Task<BitswapMessage> cancelArrived = provider.NextMessageAsync(fetcher.Id, m => m.Wantlist.Any(e => e.Cid == missing && e.Cancel));
        await first.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => a);
        Assert.Equal(1, fetcher.Service.Client.WantlistSize);   // the second waiter still wants it
        await second.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => b);

        await cancelArrived.WaitAsync(s_timeout, ct);
        Assert.Empty(provider.Service.GetWantlist(fetcher.Id));
        Assert.Equal(0, fetcher.Service.Client.WantlistSize);
    }

    [Fact]
    public async Task WantAsync_BlockArrivesLater_ProviderSendsItWhenStored()
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        var network = new MemoryNetwork();
        await using var provider = new BitswapTestNode(network);
        await using var fetcher = new BitswapTestNode(network);
        MemoryNetwork.Connect(fetcher.Host, provider.Host);
        byte[] data = "arrives later"u8.ToArray();
        Cid cid = Cid.Compute(Multicodec.Raw, data);
        Task<BitswapMessage> wantArrived = provider.NextMessageAsync(fetcher.Id, m => m.Wantlist.Any(e => e.Cid == cid));
        Task<ReadOnlyMemory<byte>> want = fetcher.Service.WantAsync(cid, ct);
        await wantArrived.WaitAsync(s_timeout, ct);

        await provider.Blocks.PutAsync(cid, data, ct);

        Assert.Equal(data, (await want.WaitAsync(s_timeout, ct)).ToArray());
    }

    [Fact]
    public async Task Engine_AnswersWantHaveWantBlockAndDontHave()
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        var network = new MemoryNetwork();
        await using var provider = new BitswapTestNode(network);
        await using var raw = new RawBitswapPeer(network);
        byte[] small = new byte[BitswapOptions.DefaultMaxInlineBlockSize];
        byte[] large = new byte[BitswapOptions.DefaultMaxInlineBlockSize + 1];
        small[0] = 1;
        large[0] = 2;
        Cid smallCid = Cid.Compute(Multicodec.Raw, small);
        Cid largeCid = Cid.Compute(Multicodec.Raw, large);
        Cid missing = Cid.Compute(Multicodec.Raw, "missing"u8);
        await provider.Local.PutAsync(smallCid, small, ct);
        await provider.Local.PutAsync(largeCid, large, ct);
        MemoryNetwork.Connect(raw.Memory, provider.Host);

        var request = new BitswapMessage();
        request.Wantlist.Add(new WantlistEntry(smallCid, WantType: WantType.Have, SendDontHave: true));
        request.Wantlist.Add(new WantlistEntry(largeCid, WantType: WantType.Have, SendDontHave: true));
        request.Wantlist.Add(new WantlistEntry(missing, WantType: WantType.Block, SendDontHave: true));
        await raw.SendAsync(provider.Id, request, ct);

        var blocks = new List<BitswapBlock>();
        var presences = new List<BlockPresence>();
        while (blocks.Count + presences.Count < 3)
        {
            BitswapMessage reply = await raw.ReceiveAsync(ct);
            blocks.AddRange(reply.Blocks);
            presences.AddRange(reply.BlockPresences);
        }

        Assert.Equal(smallCid, Assert.Single(blocks).Cid);
        Assert.Contains(new BlockPresence(largeCid, BlockPresenceType.Have), presences);
        Assert.Contains(new BlockPresence(missing, BlockPresenceType.DontHave), presences);

        // The missing want stays on the ledger: once the block arrives, it is sent.
        byte[] late = "missing"u8.ToArray();
        await provider.Blocks.PutAsync(missing, late, ct);
        BitswapMessage delivered = await raw.ReceiveAsync(ct);
        Assert.Equal(missing, Assert.Single(delivered.Blocks).Cid);
    }

    [Fact]
    public async Task Engine_WantFlood_PeerCutOffWhileOthersAreServed()
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        var network = new MemoryNetwork();
        await using var provider = new BitswapTestNode(network);
        await using var flooder = new RawBitswapPeer(network);
        await using var honest = new BitswapTestNode(network);
        List<(Cid Cid, byte[] Data)> blocks = BitswapTestNode.MakeBlocks(50, 100, 2000, seed: 2);
        await provider.PutAllAsync(blocks, ct);
        var flooderConnection = MemoryNetwork.Connect(flooder.Memory, provider.Host);
        MemoryNetwork.Connect(honest.Host, provider.Host);

        var flood = new BitswapMessage();
        for (int i = 0; i <= BitswapOptions.DefaultMaxWantsPerPeer; i++)
        {
            flood.Wantlist.Add(new WantlistEntry(Cid.Compute(Multicodec.Raw, BitConverter.GetBytes(i))));
        }

        await flooder.SendAsync(provider.Id, flood, ct);
        await Task.Delay(Timeout.Infinite, flooderConnection.Closed).ContinueWith(_ => { }, TaskScheduler.Default).WaitAsync(s_timeout, ct);

        Assert.Empty(provider.Service.GetWantlist(flooder.Host.Id));
        ReadOnlyMemory<byte>[] fetched = await Task.WhenAll(blocks.Select(b => honest.Blocks.GetAsync(b.Cid, ct).AsTask())).WaitAsync(s_timeout, ct);
        Assert.Equal(blocks.Count, fetched.Length);
    }

    [Fact]
    public async Task Engine_MoreSmallBlocksWantedThanOneMessageMayCarry_SentInSeveralMessagesEachWithinTheLimit()
    {
        // A node configured to keep more wants per peer than a message may carry blocks: a turn of tiny blocks must
        // not go out as one message that its receiver (BitswapMessageParser) refuses as a protocol violation.
        CancellationToken ct = TestContext.Current.CancellationToken;
        const int Count = BitswapMessageCodec.MaxBlocksPerMessage + 500;
        var network = new MemoryNetwork();
        await using var provider = new BitswapTestNode(network, new BitswapOptions { MaxWantsPerPeer = 4 * BitswapMessageCodec.MaxBlocksPerMessage });
        await using var peer = new RawBitswapPeer(network);
        MemoryNetwork.Connect(peer.Memory, provider.Host);
        var wants = new BitswapMessage();
        var expected = new HashSet<Cid>();
        for (int i = 0; i < Count; i++)
        {
            byte[] data = BitConverter.GetBytes(i);
            Cid cid = Cid.Compute(Multicodec.Raw, data);
            await provider.Local.PutAsync(cid, data, ct);
            wants.Wantlist.Add(new WantlistEntry(cid));
            expected.Add(cid);
        }

        await peer.SendAsync(provider.Id, wants, ct);

        while (expected.Count > 0)
        {
            BitswapMessage message = await peer.ReceiveAsync(ct);
            Assert.InRange(message.Blocks.Count, 0, BitswapMessageCodec.MaxBlocksPerMessage);
            foreach (BitswapBlock block in message.Blocks)
            {
                Assert.True(expected.Remove(block.Cid), $"unexpected or repeated block {block.Cid}");
            }
        }
    }

    [Fact]
    public async Task Client_CorruptBlock_RejectedNeverStoredAndPeerDropped()
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        var network = new MemoryNetwork();
        await using var fetcher = new BitswapTestNode(network, new BitswapOptions { MaxUnwantedBlocksPerPeer = 0, RebroadcastInterval = TimeSpan.FromMilliseconds(300) });
        await using var liar = new RawBitswapPeer(network);
        await using var honest = new BitswapTestNode(network);
        byte[] data = "the real block"u8.ToArray();
        Cid cid = Cid.Compute(Multicodec.Raw, data);
        await honest.Local.PutAsync(cid, data, ct);
        var liarConnection = MemoryNetwork.Connect(fetcher.Host, liar.Memory);

        Task<ReadOnlyMemory<byte>> get = fetcher.Blocks.GetAsync(cid, ct).AsTask();
        BitswapMessage want = await liar.ReceiveAsync(ct);
        Assert.Contains(want.Wantlist, e => e.Cid == cid);
        var corrupt = new BitswapMessage();
        corrupt.Blocks.Add(new BitswapBlock(cid, "a forged block"u8.ToArray()));   // the right prefix, the wrong bytes
        await liar.SendAsync(fetcher.Id, corrupt, ct);

        await Task.Delay(Timeout.Infinite, liarConnection.Closed).ContinueWith(_ => { }, TaskScheduler.Default).WaitAsync(s_timeout, ct);
        Assert.False(get.IsCompleted);
        Assert.False(await fetcher.Local.HasAsync(cid, ct));
        Assert.Equal(1, fetcher.Service.GetStat().UnwantedBlocksReceived);

        MemoryNetwork.Connect(fetcher.Host, honest.Host);
        Assert.Equal(data, (await get.WaitAsync(s_timeout, ct)).ToArray());
        Assert.True(await fetcher.Local.HasAsync(cid, ct));
    }

    [Fact]
    public async Task Session_TwoProviders_FetchesEverythingWithFewDuplicates()
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        var network = new MemoryNetwork();
        await using var a = new BitswapTestNode(network);
        await using var b = new BitswapTestNode(network);
        await using var fetcher = new BitswapTestNode(network);
        List<(Cid Cid, byte[] Data)> blocks = BitswapTestNode.MakeBlocks(600, 1025, 16384, seed: 3);
        await a.PutAllAsync(blocks, ct);
        await b.PutAllAsync(blocks, ct);
        MemoryNetwork.Connect(fetcher.Host, a.Host);
        MemoryNetwork.Connect(fetcher.Host, b.Host);
        IBlockstore session = fetcher.Blocks.CreateSession(blocks[0].Cid);

        Assert.Equal(blocks[0].Data, (await session.GetAsync(blocks[0].Cid, ct).AsTask().WaitAsync(s_timeout, ct)).ToArray());
        await Task.WhenAll(blocks.Skip(1).Select(x => session.GetAsync(x.Cid, ct).AsTask())).WaitAsync(s_timeout, ct);

        BitswapStat stat = fetcher.Service.GetStat();
        long sentByA = a.Service.GetLedger(fetcher.Id)!.BlocksSent;
        long sentByB = b.Service.GetLedger(fetcher.Id)!.BlocksSent;
        Assert.Equal(600, stat.BlocksReceived);
        Assert.InRange(stat.DuplicateBlocksReceived, 0, 30);
        Assert.InRange(sentByA + sentByB, 600, 630);
        // How the 600 are split depends on which provider's HAVE arrives first (on a loaded machine one may serve
        // them all), so load sharing itself is not asserted here.
    }

    /// <summary>
    /// A peer that answers with the block itself and never says HAVE (as every Bitswap 1.0.0/1.1.0 peer does: our
    /// broadcast want-have reaches it as a want-block) joins the session, so the session's next want goes to it alone as
    /// a want-block instead of another broadcast that every such peer would answer with the whole block.
    /// </summary>
    [Fact]
    public async Task Session_PeerSendsTheBlockWithoutHave_JoinsAndGetsTheNextWantBlock()
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        var network = new MemoryNetwork();
        await using var fetcher = new BitswapTestNode(network);
        await using var answering = new RawBitswapPeer(network);
        await using var silent = new RawBitswapPeer(network);
        MemoryNetwork.Connect(fetcher.Host, answering.Memory);
        MemoryNetwork.Connect(fetcher.Host, silent.Memory);
        byte[][] blocks = ["the first block, sent without a HAVE"u8.ToArray(), "the second block"u8.ToArray()];
        Cid[] cids = [.. blocks.Select(b => Cid.Compute(Multicodec.Raw, b))];
        BitswapSession session = fetcher.Service.CreateSession();

        Task<ReadOnlyMemory<byte>> first = session.WantAsync(cids[0], [], ct);
        Assert.Equal(WantType.Have, (await NextWantAsync(answering, cids[0], ct)).WantType);
        await answering.SendAsync(fetcher.Id, WithBlock(cids[0], blocks[0]), ct);
        Assert.Equal(blocks[0], (await first.WaitAsync(s_timeout, ct)).ToArray());
        Assert.Equal([answering.Host.Id], session.Peers);

        Task<ReadOnlyMemory<byte>> second = session.WantAsync(cids[1], [], ct);
        Assert.Equal(WantType.Block, (await NextWantAsync(answering, cids[1], ct)).WantType);
        await answering.SendAsync(fetcher.Id, WithBlock(cids[1], blocks[1]), ct);
        Assert.Equal(blocks[1], (await second.WaitAsync(s_timeout, ct)).ToArray());
    }

    /// <summary>
    /// The session's only peer gets a want-block and stays silent (an old peer whose block was lost: it sent it on a
    /// stream that was reset, and Bitswap 1.0.0/1.1.0 peers never say DONT_HAVE). After the rebroadcast interval the
    /// session must put the want on the wire again, not just note that it was sent once.
    /// </summary>
    [Fact]
    public async Task Session_OnlyPeerStaysSilentAfterWantBlock_WantSentAgainAfterRebroadcastInterval()
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        var network = new MemoryNetwork();
        await using var fetcher = new BitswapTestNode(network);
        await using var old = new RawBitswapPeer(network);
        MemoryNetwork.Connect(fetcher.Host, old.Memory);
        byte[][] blocks = ["the root, sent without a HAVE"u8.ToArray(), "the block whose first answer was lost"u8.ToArray()];
        Cid[] cids = [.. blocks.Select(b => Cid.Compute(Multicodec.Raw, b))];
        BitswapSession session = fetcher.Service.CreateSession();
        Task<ReadOnlyMemory<byte>> first = session.WantAsync(cids[0], [], ct);
        await NextWantAsync(old, cids[0], ct);
        await old.SendAsync(fetcher.Id, WithBlock(cids[0], blocks[0]), ct);
        await first.WaitAsync(s_timeout, ct);

        Task<ReadOnlyMemory<byte>> second = session.WantAsync(cids[1], [], ct);
        Assert.Equal(WantType.Block, (await NextWantAsync(old, cids[1], ct)).WantType);
        WantlistEntry again = await NextWantAsync(old, cids[1], ct);

        Assert.Equal(WantType.Block, again.WantType);
        Assert.False(second.IsCompleted);
        await old.SendAsync(fetcher.Id, WithBlock(cids[1], blocks[1]), ct);
        Assert.Equal(blocks[1], (await second.WaitAsync(s_timeout, ct)).ToArray());
        Assert.Equal(0, fetcher.Service.GetStat().DuplicateBlocksReceived);
    }

    private static BitswapMessage WithBlock(Cid cid, byte[] data)
    {
        var message = new BitswapMessage();
        message.Blocks.Add(new BitswapBlock(cid, data));
        return message;
    }

    private static async Task<WantlistEntry> NextWantAsync(RawBitswapPeer peer, Cid[] cids, WantType type, CancellationToken ct)
    {
        while (true)
        {
            foreach (WantlistEntry entry in (await peer.ReceiveAsync(ct)).Wantlist)
            {
                if (cids.Contains(entry.Cid) && !entry.Cancel && entry.WantType == type)
                {
                    return entry;
                }
            }
        }
    }

    private static async Task<WantlistEntry> NextWantAsync(RawBitswapPeer peer, Cid cid, CancellationToken ct)
    {
        while (true)
        {
            foreach (WantlistEntry entry in (await peer.ReceiveAsync(ct)).Wantlist)
            {
                if (entry.Cid == cid && !entry.Cancel)
                {
                    return entry;
                }
            }
        }
    }

    [Fact]
    public async Task Session_ProviderDisconnectsHalfway_SecondProviderCompletes()
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        var network = new MemoryNetwork();
        await using var a = new BitswapTestNode(network);
        await using var b = new BitswapTestNode(network);
        await using var fetcher = new BitswapTestNode(network);
        List<(Cid Cid, byte[] Data)> blocks = BitswapTestNode.MakeBlocks(400, 1025, 8192, seed: 4);
        await a.PutAllAsync(blocks, ct);
        await b.PutAllAsync(blocks, ct);
        var toA = MemoryNetwork.Connect(fetcher.Host, a.Host);
        IBlockstore session = fetcher.Blocks.CreateSession(blocks[0].Cid);

        await Task.WhenAll(blocks.Take(200).Select(x => session.GetAsync(x.Cid, ct).AsTask())).WaitAsync(s_timeout, ct);
        Task rest = Task.WhenAll(blocks.Skip(200).Select(x => session.GetAsync(x.Cid, ct).AsTask()));
        await toA.CloseAsync(ct);
        bool finishedByA = rest.IsCompleted;   // on a fast run A may have delivered everything before it went
        MemoryNetwork.Connect(fetcher.Host, b.Host);
        await rest.WaitAsync(s_timeout, ct);

        Assert.Equal(400, fetcher.Service.GetStat().BlocksReceived);
        Assert.True(finishedByA || b.Service.GetLedger(fetcher.Id)?.BlocksSent > 0);
    }

    [Fact]
    public async Task Session_NobodyConnectedHasIt_AsksContentRoutingAndDialsTheProvider()
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        var network = new MemoryNetwork();
        await using var provider = new BitswapTestNode(network);
        var router = new FixedRouter([new ProviderRecord(provider.Id, [])]);
        await using var fetcher = new BitswapTestNode(network, new BitswapOptions { RebroadcastInterval = TimeSpan.FromMilliseconds(200) }, router);
        await using var bystander = new BitswapTestNode(network);
        MemoryNetwork.Connect(fetcher.Host, bystander.Host);
        byte[] data = new byte[5000];
        Cid cid = Cid.Compute(Multicodec.Raw, data);
        await provider.Local.PutAsync(cid, data, ct);

        ReadOnlyMemory<byte> bytes = await fetcher.Blocks.GetAsync(cid, ct).AsTask().WaitAsync(s_timeout, ct);

        Assert.Equal(data, bytes.ToArray());
        Assert.True(router.Queries > 0);
        Assert.Contains(fetcher.Host.Connections, c => c.RemotePeer == provider.Id);
    }

    [Fact]
    public async Task WantAsync_MissingBlock_DontHaveThenCleanTimeout()
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        var network = new MemoryNetwork();
        await using var provider = new BitswapTestNode(network);
        await using var fetcher = new BitswapTestNode(network);
        MemoryNetwork.Connect(fetcher.Host, provider.Host);
        Cid missing = Cid.Compute(Multicodec.Raw, "nobody has this"u8);
        Task<BitswapMessage> dontHave = fetcher.NextMessageAsync(provider.Id, m => m.BlockPresences.Contains(new BlockPresence(missing, BlockPresenceType.DontHave)));
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);

        Task<ReadOnlyMemory<byte>> get = fetcher.Service.WantAsync(missing, timeout.Token);
        await dontHave.WaitAsync(s_timeout, ct);
        timeout.CancelAfter(TimeSpan.FromMilliseconds(100));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => get.WaitAsync(s_timeout, ct));
        Assert.Equal(0, fetcher.Service.Client.WantlistSize);
    }

    private sealed class FixedRouter(IReadOnlyList<ProviderRecord> providers) : IContentRouter
    {
        private int _queries;

        public string Name => "fixed";

        public int Queries => _queries;

        public async IAsyncEnumerable<ProviderRecord> FindProvidersAsync(Cid cid, [EnumeratorCancellation] CancellationToken cancellationToken = default)
        {
            Interlocked.Increment(ref _queries);
            foreach (ProviderRecord provider in providers)
            {
                await Task.Yield();
                yield return provider;
            }
        }

        public ValueTask ProvideAsync(Cid cid, CancellationToken cancellationToken = default) => ValueTask.CompletedTask;
    }
}
