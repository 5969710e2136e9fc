using Helia.Core.Blocks;
using Helia.Multiformats;
using Helia.UnixFS.Exporter;
using Helia.UnixFS.Importer;

namespace Helia.Tests.UnixFS.Interop;

/// <summary>
/// C# against JS Helia (@helia/unixfs 8.0.5) on freshly generated inputs: the same CIDs for files and trees in every
/// profile, and bytes imported on one side read back on the other.
/// </summary>
public sealed class UnixFSInteropTests : IDisposable
{
    private readonly string _temp = Path.Combine(Path.GetTempPath(), "helia-unixfs-interop-" + Guid.NewGuid().ToString("N"));
    private readonly uint _seed = (uint)Random.Shared.Next(1, int.MaxValue);

    public UnixFSInteropTests()
    {
        Directory.CreateDirectory(_temp);
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => Directory.Delete(_temp, recursive: true);

    [Theory]
    [InlineData("helia", 1_048_576)]
    [InlineData("unixfs-v1-2025", 1_048_576)]
    [InlineData("unixfs-v0-2015", 262_144)]
    public async Task AddFiles_FreshInputs_SameCidsAsJsHelia(string profile, int chunk)
    {
        SkipWithoutNode();
        int[] sizes = [0, 1, chunk - 1, chunk, chunk + 1, (5 * 1_048_576) + 3];
        var files = new List<string>();
        foreach (int size in sizes)
        {
            files.Add(await WriteInputAsync($"f-{size}.bin", size));
        }

        string[] js = await JsUnixFS.RunAsync(["add", "--profile", profile, .. files], Ct);

        var importer = new UnixFSImporter(null, ImporterOptions.FromProfile(profile) with { OnlyHash = true });
        for (int i = 0; i < files.Count; i++)
        {
            await using FileStream stream = File.OpenRead(files[i]);
            DagNode node = await importer.ImportFileAsync(stream, cancellationToken: Ct);
            Assert.True(js[i] == node.Cid.ToString(), $"{profile}, {sizes[i]} bytes (seed {_seed}): JS {js[i]}, C# {node.Cid}");
        }
    }

    [Theory]
    [InlineData("helia", FileLayout.Trickle, 1024, 3, 400 * 1024 + 7)]
    [InlineData("unixfs-v0-2015", FileLayout.Trickle, 1024, 4, 700 * 1024)]
    [InlineData("unixfs-v0-2015", FileLayout.Trickle, 262_144, 174, 48 * 1_048_576)]
    [InlineData("helia", FileLayout.Balanced, 1024, 3, 400 * 1024 + 7)]
    public async Task AddFiles_LayoutOptions_SameCidsAsJsImporter(string profile, FileLayout layout, int chunk, int maxChildren, int largest)
    {
        SkipWithoutNode();
        // Small chunks and few children per node build deep trees from small files, so every branch of the layout runs.
        int[] sizes = [0, 1, chunk, chunk * maxChildren, (chunk * maxChildren) + 1, (chunk * maxChildren * 5) + 3, (chunk * maxChildren * 21) - 1, largest];
        var files = new List<string>();
        foreach (int size in sizes)
        {
            files.Add(await WriteInputAsync($"l-{size}.bin", size));
        }

        string[] flags = layout == FileLayout.Trickle ? ["--trickle"] : [];
        string[] js = await JsUnixFS.RunAsync(["add", "--profile", profile, .. flags, "--chunk", $"{chunk}", "--max-children", $"{maxChildren}", .. files], Ct);

        ImporterOptions options = ImporterOptions.FromProfile(profile) with
        {
            Layout = layout,
            Chunker = new FixedSizeChunker(chunk),
            MaxChildrenPerNode = maxChildren,
            OnlyHash = true,
        };
        var importer = new UnixFSImporter(null, options);
        for (int i = 0; i < files.Count; i++)
        {
            await using FileStream stream = File.OpenRead(files[i]);
            DagNode node = await importer.ImportFileAsync(stream, cancellationToken: Ct);
            Assert.True(js[i] == node.Cid.ToString(), $"{layout} {profile}, chunk {chunk}, {maxChildren} children, {sizes[i]} bytes (seed {_seed}): JS {js[i]}, C# {node.Cid}");
        }
    }

    [Theory]
    [InlineData("helia", "rabin")]
    [InlineData("unixfs-v0-2015", "rabin")]
    [InlineData("helia", "rabin-16-64-1000")]
    [InlineData("unixfs-v0-2015", "rabin-1000-4096-9000")]
    [InlineData("helia", "rabin-200000-524288-1500000")]
    public async Task AddFiles_RabinChunker_SameCidsAsJsImporter(string profile, string chunker)
    {
        SkipWithoutNode();
        var rabin = (RabinChunker)Chunker.Parse(chunker);
        int[] sizes = [0, 1, rabin.MinSize - 1, rabin.MinSize, rabin.MinSize + 1, rabin.MaxSize + 1, (5 * 1_048_576) + 3, (9 * 1_048_576) + 1];
        var files = new List<string>();
        foreach (int size in sizes)
        {
            files.Add(await WriteInputAsync($"r-{size}.bin", size));
        }

        string[] js = await JsUnixFS.RunAsync(["add", "--profile", profile, "--chunker", chunker, .. files], Ct);

        var importer = new UnixFSImporter(null, ImporterOptions.FromProfile(profile) with { Chunker = rabin, OnlyHash = true });
        var fixedSize = new UnixFSImporter(null, ImporterOptions.FromProfile(profile) with { OnlyHash = true });
        for (int i = 0; i < files.Count; i++)
        {
            await using FileStream stream = File.OpenRead(files[i]);
            DagNode node = await importer.ImportFileAsync(stream, cancellationToken: Ct);
            if (sizes[i] == 0)
            {
                // ipfs-unixfs-importer yields no entry for an empty file its rabin chunker gave no chunk; ours is the
                // empty file every chunker gives (Kubo's too).
                Assert.Equal("-", js[i]);
                Assert.Equal((await fixedSize.ImportFileAsync(new MemoryStream(), cancellationToken: Ct)).Cid, node.Cid);
                continue;
            }

            Assert.True(js[i] == node.Cid.ToString(), $"{chunker} {profile}, {sizes[i]} bytes (seed {_seed}): JS {js[i]}, C# {node.Cid}");
        }
    }

    [Theory]
    [InlineData("helia")]
    [InlineData("unixfs-v0-2015")]
    public async Task Cat_CSharpImportReadByJs_AndJsImportReadByCSharp(string profile)
    {
        SkipWithoutNode();
        string input = await WriteInputAsync("both-ways.bin", (3 * 1_048_576) + 12_345);
        byte[] bytes = await File.ReadAllBytesAsync(input, Ct);

        // C# imports, JS reads the blocks back.
        var store = new MemoryBlockstore();
        DagNode mine = await new UnixFSImporter(store, ImporterOptions.FromProfile(profile)).ImportFileAsync(new MemoryStream(bytes), cancellationToken: Ct);
        string blocks = await WriteBlocksAsync(store, "cs-blocks");
        string output = Path.Combine(_temp, "js-cat.bin");
        await JsUnixFS.RunAsync(["cat", "--blocks", blocks, mine.Cid.ToString(), output], Ct);
        Assert.Equal(bytes, await File.ReadAllBytesAsync(output, Ct));

        // JS imports, C# reads its blocks back.
        string jsBlocks = Path.Combine(_temp, "js-blocks");
        string[] js = await JsUnixFS.RunAsync(["add", "--profile", profile, "--blocks-out", jsBlocks, input], Ct);
        MemoryBlockstore theirs = await ReadBlocksAsync(jsBlocks);
        using var read = new MemoryStream();
        await foreach (ReadOnlyMemory<byte> chunk in new UnixFSExporter(theirs).CatAsync(js[0], cancellationToken: Ct))
        {
            read.Write(chunk.Span);
        }

        Assert.Equal(bytes, read.ToArray());
    }

    [Theory]
    [InlineData("helia")]
    [InlineData("unixfs-v1-2025")]
    [InlineData("unixfs-v0-2015")]
    public async Task AddDirectory_NestedAndSharded_SameCidsAsJsHelia(string profile)
    {
        SkipWithoutNode();
        string root = Path.Combine(_temp, "tree");
        Directory.CreateDirectory(Path.Combine(root, "a", "b", "c"));
        Directory.CreateDirectory(Path.Combine(root, "empty"));
        await WriteInputAsync(Path.Combine("tree", "top.bin"), 1000);
        await WriteInputAsync(Path.Combine("tree", "a", "mid.bin"), 300_000);
        await WriteInputAsync(Path.Combine("tree", "a", "b", "c", "deep.bin"), 5);
        string wide = Path.Combine(root, "wide");
        Directory.CreateDirectory(wide);
        for (int i = 0; i < 4_000; i++)
        {
            await File.WriteAllBytesAsync(Path.Combine(wide, $"entry-with-a-longer-name-{i:D6}.dat"), BitConverter.GetBytes(_seed + (uint)i), Ct);
        }

        string[] js = await JsUnixFS.RunAsync(["add-dir", "--profile", profile, root], Ct);

        var store = new MemoryBlockstore();
        ImporterOptions options = ImporterOptions.FromProfile(profile);
        DagNode node = await new UnixFSImporter(store, options).ImportEntryAsync(DiskSource.FromPath(root, options), Ct);
        Assert.True(js[0] == node.Cid.ToString(), $"{profile} (seed {_seed}): JS {js[0]}, C# {node.Cid}");
        Assert.Equal(UnixFSEntryKind.ShardedDirectory, (await new UnixFSExporter(store).StatAsync($"{node.Cid}/wide", Ct)).Kind);

        // JS lists the sharded directory from our blocks.
        string blocks = await WriteBlocksAsync(store, "dir-blocks");
        UnixFSNode wideNode = await new UnixFSExporter(store).ResolveAsync($"{node.Cid}/wide", Ct);
        string[] listed = await JsUnixFS.RunAsync(["ls", "--blocks", blocks, wideNode.Cid.ToString()], Ct);
        Assert.Equal(4_000, listed.Length);
    }

    private static void SkipWithoutNode()
    {
        if (JsUnixFS.Unavailable is string reason)
        {
            Assert.Skip(reason);
        }
    }

    private async Task<string> WriteInputAsync(string name, int size)
    {
        string path = Path.Combine(_temp, name);
        await using FileStream file = File.Create(path);
        await new XorShift32(_seed, size).CopyToAsync(file, Ct);
        return path;
    }

    private async Task<string> WriteBlocksAsync(MemoryBlockstore store, string name)
    {
        string dir = Path.Combine(_temp, name);
        Directory.CreateDirectory(dir);
        await foreach (Block block in store.GetAllAsync(Ct))
        {
            await File.WriteAllBytesAsync(Path.Combine(dir, block.Cid.ToString()), block.Bytes.ToArray(), Ct);
        }

        return dir;
    }

    private static async Task<MemoryBlockstore> ReadBlocksAsync(string dir)
    {
        var store = new MemoryBlockstore();
        foreach (string file in Directory.EnumerateFiles(dir))
        {
            await store.PutAsync(Cid.Parse(Path.GetFileName(file)), await File.ReadAllBytesAsync(file, Ct), Ct);
        }

        return store;
    }
}
