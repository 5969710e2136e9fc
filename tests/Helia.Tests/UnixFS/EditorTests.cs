using Helia.Core.Blocks;
using Helia.Multiformats;
using Helia.UnixFS;
using Helia.UnixFS.Exporter;
using Helia.UnixFS.Importer;

namespace Helia.Tests.UnixFS;

public class EditorTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("unixfs-v1-2025")]
    [InlineData("unixfs-v0-2015")]
    public async Task AddThenRemove_PlainDirectory_MatchesFreshImports(string profile)
    {
        ImporterOptions options = ImporterOptions.FromProfile(profile);
        var store = new MemoryBlockstore();
        var fs = new HeliaUnixFS(store, options);
        Cid without = await ImportAsync(store, options, new ImportDirectory("d", [VectorTrees.File(1, "a"), VectorTrees.File(3, "c")]));
        Cid with = await ImportAsync(store, options, new ImportDirectory("d", [VectorTrees.File(1, "a"), VectorTrees.File(2, "b"), VectorTrees.File(3, "c")]));
        Cid b = await ImportAsync(store, options, VectorTrees.File(2, "b"));

        Cid added = await fs.AddLinkAsync(without, "b", b, cancellationToken: Ct);
        Cid removed = await fs.RemoveLinkAsync(with, "b", Ct);

        Assert.Equal(with, added);
        Assert.Equal(without, removed);
        await Assert.ThrowsAsync<UnixFSException>(() => fs.AddLinkAsync(with, "b", b, cancellationToken: Ct));
        await Assert.ThrowsAsync<UnixFSPathNotFoundException>(() => fs.RemoveLinkAsync(without, "b", Ct));
    }

    [Fact]
    public async Task AddThenRemove_ShardedDirectory_MatchesFreshImports()
    {
        ImporterOptions options = ImporterOptions.Helia;
        var store = new MemoryBlockstore();
        var fs = new HeliaUnixFS(store, options);
        ImportDirectory full = VectorTrees.Build("wide-8000");
        var smaller = new ImportDirectory(full.Name, [.. full.Entries.Where(e => e.Name != "f04242.txt")]);
        Cid with = await ImportAsync(store, options, full);
        Cid without = await ImportAsync(store, options, smaller);
        Cid file = await ImportAsync(store, options, full.Entries.Single(e => e.Name == "f04242.txt"));

        Assert.Equal(without, await fs.RemoveLinkAsync(with, "f04242.txt", Ct));
        Assert.Equal(with, await fs.AddLinkAsync(without, "f04242.txt", file, cancellationToken: Ct));
    }

    [Fact]
    public async Task AddLink_PastTheThreshold_ShardsThePlainDirectory()
    {
        ImporterOptions options = ImporterOptions.Helia with { ShardSplitThresholdBytes = 200 };
        var store = new MemoryBlockstore();
        var fs = new HeliaUnixFS(store, options);
        ImportEntry[] files = [.. Enumerable.Range(1, 5).Select(i => VectorTrees.File(i, $"file-{i}"))];
        Cid plain = await ImportAsync(store, options, new ImportDirectory("d", files[..4]));
        Cid sharded = await ImportAsync(store, options, new ImportDirectory("d", files));
        Cid fifth = await ImportAsync(store, options, files[4]);

        Assert.Equal(UnixFSEntryKind.Directory, (await fs.StatAsync(plain.ToString(), Ct)).Kind);
        Cid added = await fs.AddLinkAsync(plain, "file-5", fifth, cancellationToken: Ct);

        Assert.Equal(sharded, added);
        Assert.Equal(UnixFSEntryKind.ShardedDirectory, (await fs.StatAsync(added.ToString(), Ct)).Kind);
    }

    [Fact]
    public async Task AddLink_ToAFile_Throws()
    {
        var store = new MemoryBlockstore();
        var fs = new HeliaUnixFS(store);
        Cid file = await fs.AddBytesAsync(new byte[] { 1, 2, 3 }, cancellationToken: Ct);

        await Assert.ThrowsAsync<UnixFSException>(() => fs.AddLinkAsync(file, "x", file, cancellationToken: Ct));
        await Assert.ThrowsAsync<ArgumentException>(() => fs.AddLinkAsync(file, "a/b", file, cancellationToken: Ct));
    }

    private static async Task<Cid> ImportAsync(MemoryBlockstore store, ImporterOptions options, ImportEntry entry) =>
        (await new UnixFSImporter(store, options).ImportEntryAsync(entry, Ct)).Cid;
}
