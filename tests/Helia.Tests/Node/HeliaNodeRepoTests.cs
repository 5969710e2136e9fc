using Helia.Core.Datastore;
using Helia.Core.Repo;
using Helia.Libp2p.Crypto;
using Helia.Multiformats;
using Helia.Tests.Blocks;
using Helia.Tests.Storage;

namespace Helia.Tests.Node;

public sealed class HeliaNodeRepoTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private string RepoPath => _dir.Combine("repo");

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task UseRepository_NewFolder_InitsRepo_ReopenKeepsIdentityAndBlocks()
    {
        Cid cid = Cid.Compute(Multicodec.Raw, "stored"u8);
        PeerId id;
        await using (HeliaNode node = await new HeliaBuilder().UseRepository(RepoPath).BuildAsync(Ct))
        {
            id = node.Id;
            await node.Blockstore.PutAsync(cid, "stored"u8.ToArray(), Ct);
        }

        await using HeliaNode reopened = await new HeliaBuilder().UseRepository(RepoPath).BuildAsync(Ct);

        Assert.True(Repo.Exists(RepoPath));
        Assert.Equal(id, reopened.Id);
        Assert.Equal("stored"u8.ToArray(), (await reopened.LocalBlockstore.GetAsync(cid, Ct)).ToArray());
    }

    [Fact]
    public async Task UseRepository_ExistingRepo_UsesItsIdentityBlocksAndDatastore()
    {
        RepoConfig config = RepoTests.NewConfig();
        Cid cid = Cid.Compute(Multicodec.Raw, "from the repo"u8);
        await using (Repo repo = await Repo.InitAsync(RepoPath, config, cancellationToken: Ct))
        {
            await repo.Blocks.PutAsync(cid, "from the repo"u8.ToArray(), Ct);
            await repo.Datastore.PutAsync(new DatastoreKey("/marker"), new byte[] { 7 }, Ct);
        }

        await using HeliaNode node = await new HeliaBuilder().UseRepository(RepoPath).BuildAsync(Ct);

        Assert.Equal(config.Identity.PeerId, node.Id.ToString());
        Assert.True(await node.LocalBlockstore.HasAsync(cid, Ct));
        Assert.Equal(new byte[] { 7 }, (await node.Datastore.GetAsync(new DatastoreKey("/marker"), Ct))!.Value.ToArray());
    }

    [Fact]
    public async Task UseRepository_NodeHoldsLockUntilDisposed()
    {
        HeliaNode node = await new HeliaBuilder().UseRepository(RepoPath).BuildAsync(Ct);

        await Assert.ThrowsAsync<RepoLockedException>(() => new HeliaBuilder().UseRepository(RepoPath).BuildAsync(Ct));
        await node.DisposeAsync();

        await using Repo repo = await Repo.OpenAsync(RepoPath, Ct);
    }

    [Fact]
    public async Task UseRepository_OpenRepo_NodeOwnsAndDisposesIt()
    {
        Repo repo = await Repo.InitAsync(RepoPath, RepoTests.NewConfig(), cancellationToken: Ct);

        await using (HeliaNode node = await new HeliaBuilder().UseRepository(repo).BuildAsync(Ct))
        {
            Assert.Same(repo.Datastore, node.Datastore);
            Assert.Equal(repo.Config.Identity.PeerId, node.Id.ToString());
        }

        await using Repo reopened = await Repo.OpenAsync(RepoPath, Ct);   // the node released the lock
    }

    [Fact]
    public async Task UseRepository_KeyDoesNotMatchPeerId_ThrowsCorrupt_AndReleasesLock()
    {
        using PrivateKey other = Ed25519PrivateKey.Generate();
        RepoConfig config = RepoTests.NewConfig();
        await (await Repo.InitAsync(RepoPath, config with { Identity = config.Identity with { PrivKey = other.Marshal() } }, cancellationToken: Ct)).DisposeAsync();

        RepoCorruptException ex = await Assert.ThrowsAsync<RepoCorruptException>(() => new HeliaBuilder().UseRepository(RepoPath).BuildAsync(Ct));

        Assert.Equal(Path.Combine(RepoPath, "config"), ex.File);
        Assert.Contains("Identity.PeerID", ex.Message, StringComparison.Ordinal);
        await using Repo repo = await Repo.OpenAsync(RepoPath, Ct);
    }

    [Fact]
    public async Task UseRepository_PrivKeyNotAKey_ThrowsCorrupt()
    {
        RepoConfig config = RepoTests.NewConfig();
        await (await Repo.InitAsync(RepoPath, config with { Identity = config.Identity with { PrivKey = [0x08, 0x01, 0x12, 0x01, 0x00] } }, cancellationToken: Ct)).DisposeAsync();

        RepoCorruptException ex = await Assert.ThrowsAsync<RepoCorruptException>(() => new HeliaBuilder().UseRepository(RepoPath).BuildAsync(Ct));

        Assert.Contains("Identity.PrivKey", ex.Message, StringComparison.Ordinal);
    }
}
