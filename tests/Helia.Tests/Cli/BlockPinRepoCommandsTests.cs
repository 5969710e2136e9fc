using Helia.Multiformats;
using Helia.Tests.Blocks;
using Helia.UnixFS;
using Helia.UnixFS.Importer;

namespace Helia.Tests.Cli;

/// <summary>block, pin, repo, ls and get against an offline repo, as a user types them.</summary>
public sealed class BlockPinRepoCommandsTests : IDisposable
{
    private const string HelloWorldCid = "bafkreiffsgtnic7uebaeuaixgph3pmmq2ywglpylzwrswv5so7m23hyuny";
    private readonly TempDirectory _dir = new();
    private readonly string _repo;

    public BlockPinRepoCommandsTests()
    {
        _repo = _dir.Combine("repo");
    }

    public void Dispose() => _dir.Dispose();

    private async Task<string> InitWithFileAsync(string name, string text)
    {
        (int exit, _, string error) = await CliRunner.RunAsync("init", "--profile", "test", "--repo", _repo);
        Assert.True(exit == 0, error);
        string file = _dir.Combine(name);
        await File.WriteAllTextAsync(file, text, TestContext.Current.CancellationToken);
        return file;
    }

    private static async Task<string> RunOkAsync(params string[] args)
    {
        (int exit, string output, string error) = await CliRunner.RunAsync(args);
        Assert.True(exit == 0, $"helia {string.Join(' ', args)} exited {exit}: {error}");
        return output;
    }

    [Fact]
    public async Task Block_PutStatGetRm_RoundTrip()
    {
        string file = await InitWithFileAsync("hello.txt", "Hello World");

        string put = await RunOkAsync("block", "put", file, "--repo", _repo);
        string stat = await RunOkAsync("block", "stat", HelloWorldCid, "--repo", _repo);
        string get = await RunOkAsync("block", "get", HelloWorldCid, "--repo", _repo);
        string rm = await RunOkAsync("block", "rm", HelloWorldCid, "--repo", _repo);
        (int again, _, string againError) = await CliRunner.RunAsync("block", "rm", HelloWorldCid, "--repo", _repo);
        await RunOkAsync("block", "rm", "--force", HelloWorldCid, "--repo", _repo);

        Assert.Equal($"{HelloWorldCid}\n", put);
        Assert.Equal($"Key: {HelloWorldCid}\nSize: 11\n", stat);
        Assert.Equal("Hello World", get);
        Assert.Equal($"removed {HelloWorldCid}\n", rm);
        Assert.Equal(1, again);
        Assert.Contains($"cannot remove {HelloWorldCid}", againError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PinAndGc_UnpinnedBlocksGo_PinnedStay()
    {
        string file = await InitWithFileAsync("hello.txt", "Hello World");
        string other = _dir.Combine("other.txt");
        await File.WriteAllTextAsync(other, "not pinned", TestContext.Current.CancellationToken);
        string otherCid = Cid.Compute(Multicodec.Raw, "not pinned"u8).ToString();
        await RunOkAsync("block", "put", file, "--repo", _repo);
        await RunOkAsync("block", "put", other, "--repo", _repo);

        string pinned = await RunOkAsync("pin", "add", HelloWorldCid, "--repo", _repo);
        string ls = await RunOkAsync("pin", "ls", "--type", "recursive", "--repo", _repo);
        string gc = await RunOkAsync("repo", "gc", "--repo", _repo);
        string stat = await RunOkAsync("block", "stat", HelloWorldCid, "--repo", _repo);
        (int rmPinnedExit, _, string rmPinnedError) = await CliRunner.RunAsync("block", "rm", HelloWorldCid, "--repo", _repo);
        string unpinned = await RunOkAsync("pin", "rm", HelloWorldCid, "--repo", _repo);
        string gcAfterUnpin = await RunOkAsync("repo", "gc", "-q", "--repo", _repo);
        (int statExit, _, _) = await CliRunner.RunAsync("block", "stat", HelloWorldCid, "--repo", _repo);

        Assert.Equal($"pinned {HelloWorldCid} recursively\n", pinned);
        Assert.Equal($"{HelloWorldCid} recursive\n", ls);
        Assert.Equal($"removed {otherCid}\n", gc);
        Assert.StartsWith($"Key: {HelloWorldCid}", stat, StringComparison.Ordinal);
        Assert.Equal(1, rmPinnedExit);
        Assert.Contains("pinned", rmPinnedError, StringComparison.Ordinal);
        Assert.Equal($"unpinned {HelloWorldCid}\n", unpinned);
        Assert.Equal($"{HelloWorldCid}\n", gcAfterUnpin);
        Assert.Equal(1, statExit);
    }

    [Fact]
    public async Task Add_PinsByDefault_PinFalseLetsGcCollect()
    {
        string file = await InitWithFileAsync("hello.txt", "Hello World");
        string other = _dir.Combine("other.txt");
        await File.WriteAllTextAsync(other, "collect me", TestContext.Current.CancellationToken);

        string kept = (await RunOkAsync("add", "-Q", "--cid-version", "1", file, "--repo", _repo)).Trim();
        string gone = (await RunOkAsync("add", "-Q", "--cid-version", "1", "--pin=false", other, "--repo", _repo)).Trim();
        string gc = await RunOkAsync("repo", "gc", "--repo", _repo);
        string cat = await RunOkAsync("cat", kept, "--repo", _repo);

        Assert.Equal(HelloWorldCid, kept);
        Assert.Equal($"removed {gone}\n", gc);
        Assert.Equal("Hello World", cat);
    }

    [Fact]
    public async Task RepoStat_CountsBlocks()
    {
        string file = await InitWithFileAsync("hello.txt", "Hello World");
        await RunOkAsync("block", "put", file, "--repo", _repo);

        string stat = await RunOkAsync("repo", "stat", "--repo", _repo);
        string sizeOnly = await RunOkAsync("repo", "stat", "-s", "--repo", _repo);

        Assert.Contains("NumObjects: 1\n", stat, StringComparison.Ordinal);
        Assert.Contains($"RepoPath:   {Path.GetFullPath(_repo)}\n", stat, StringComparison.Ordinal);
        Assert.Contains($"Version:    fs-repo@{Helia.Core.Repo.Repo.CurrentVersion}\n", stat, StringComparison.Ordinal);

        // RepoSize is the whole folder's disk usage, as Kubo's: the block, the config, the datastore, the version file.
        long floor = new FileInfo(Path.Combine(_repo, "config")).Length + 11 + new FileInfo(Path.Combine(_repo, "version")).Length + 4096;   // + at least a page of SQLite
        long repoSize = long.Parse(System.Text.RegularExpressions.Regex.Match(sizeOnly, @"^RepoSize:   (\d+)\n").Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(repoSize, floor, floor + (1 << 20));
        Assert.Matches(@"^RepoSize:   \d+\nStorageMax: \d+\n$", sizeOnly);
    }

    [Fact]
    public async Task Ls_File_ListsItsChunkLinksAsKuboDoes()
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        await InitWithFileAsync("unused.txt", "");
        byte[] bytes = XorShift32.Generate(3, 600_000);   // three 256 KiB chunks in Kubo's classic profile
        Cid multi;
        Cid v0Single;
        Cid rawSingle;
        await using (HeliaNode node = await new HeliaBuilder().UseRepository(_repo).BuildAsync(ct))
        {
            var fs = new HeliaUnixFS(node.Blockstore);
            multi = await fs.AddBytesAsync(bytes, ImporterOptions.UnixFSV0_2015, ct);
            v0Single = await fs.AddBytesAsync(bytes.AsMemory(0, 1000).ToArray(), ImporterOptions.UnixFSV0_2015, ct);
            rawSingle = await fs.AddBytesAsync(bytes.AsMemory(0, 1000).ToArray(), ImporterOptions.UnixFSV1_2025, ct);
        }

        string chunks = await RunOkAsync("ls", multi.ToString(), "--repo", _repo);
        string headed = await RunOkAsync("ls", "-v", multi.ToString(), "--repo", _repo);
        string single = await RunOkAsync("ls", v0Single.ToString(), "--repo", _repo);
        string raw = await RunOkAsync("ls", rawSingle.ToString(), "--repo", _repo);

        // Kubo: "<cid> <file bytes> " per chunk link, the name column empty; nothing for a node without links.
        string[] lines = chunks.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(3, lines.Length);
        Assert.Matches(@"^Qm\w+ 262144 $", lines[0]);
        Assert.Matches(@"^Qm\w+ 262144 $", lines[1]);
        Assert.Matches(@"^Qm\w+ 75712  $", lines[2]);   // the narrower size is padded to the column's width
        Assert.StartsWith("Hash", headed, StringComparison.Ordinal);
        Assert.Equal("", single);
        Assert.Equal("", raw);
    }

    [Fact]
    public async Task Get_EmptyDirectoryAndSingleBlockFile_WriteWhatTheyAre()
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        await InitWithFileAsync("unused.txt", "");
        string tree = _dir.Combine("tree");
        Directory.CreateDirectory(Path.Combine(tree, "empty"));
        await File.WriteAllTextAsync(Path.Combine(tree, "one.txt"), "one block", ct);
        Cid root;
        await using (HeliaNode node = await new HeliaBuilder().UseRepository(_repo).BuildAsync(ct))
        {
            root = await new HeliaUnixFS(node.Blockstore).AddPathAsync(tree, cancellationToken: ct);
        }

        string output = _dir.Combine("out");
        await RunOkAsync("get", root.ToString(), "-o", output, "--repo", _repo);
        string emptyOut = _dir.Combine("empty-out");
        await RunOkAsync("get", $"{root}/empty", "-o", emptyOut, "--repo", _repo);

        Assert.True(Directory.Exists(Path.Combine(output, "empty")));
        Assert.Empty(Directory.EnumerateFileSystemEntries(Path.Combine(output, "empty")));
        Assert.Equal("one block", await File.ReadAllTextAsync(Path.Combine(output, "one.txt"), ct));
        Assert.True(Directory.Exists(emptyOut));
    }

    [Fact]
    public async Task LsAndGet_Directory_ListAndWriteTheTree()
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        await InitWithFileAsync("unused.txt", "");
        string tree = _dir.Combine("tree");
        Directory.CreateDirectory(Path.Combine(tree, "sub"));
        await File.WriteAllTextAsync(Path.Combine(tree, "a.txt"), "alpha", ct);
        await File.WriteAllTextAsync(Path.Combine(tree, "sub", "b.txt"), "bravo!", ct);
        Cid root;
        await using (HeliaNode node = await new HeliaBuilder().UseRepository(_repo).BuildAsync(ct))
        {
            root = await new HeliaUnixFS(node.Blockstore).AddPathAsync(tree, cancellationToken: ct);
        }

        string ls = await RunOkAsync("ls", "-v", root.ToString(), "--repo", _repo);
        string lsSub = await RunOkAsync("ls", $"{root}/sub", "--repo", _repo);
        string output = _dir.Combine("out");
        string get = await RunOkAsync("get", root.ToString(), "-o", output, "--repo", _repo);
        string single = _dir.Combine("b-copy.txt");
        await RunOkAsync("get", $"/ipfs/{root}/sub/b.txt", "-o", single, "--repo", _repo);

        string[] lines = ls.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Matches(@"^Hash +Size Name$", lines[0]);
        Assert.Matches(@"^\w+ +5 +a\.txt$", lines[1]);
        Assert.Matches(@"^\w+ +- +sub/$", lines[2]);
        Assert.Matches(@"^\w+ 6 b\.txt\n$", lsSub);
        Assert.Equal($"Saving file(s) to {output}\n", get);
        Assert.Equal("alpha", await File.ReadAllTextAsync(Path.Combine(output, "a.txt"), ct));
        Assert.Equal("bravo!", await File.ReadAllTextAsync(Path.Combine(output, "sub", "b.txt"), ct));
        Assert.Equal("bravo!", await File.ReadAllTextAsync(single, ct));
    }

    [Theory]
    [InlineData("block", "get", "not-a-cid")]
    [InlineData("block", "stat", "bafkreiffsgtnic7uebaeuaixgph3pmmq2ywglpylzwrswv5so7m23hyunz")]
    [InlineData("pin", "add", "not-a-cid")]
    [InlineData("pin", "rm", HelloWorldCid)]
    [InlineData("pin", "ls", "--type", "sideways")]
    [InlineData("ls", "not-a-cid")]
    [InlineData("get", "not-a-cid")]
    [InlineData("block", "put", "/nonexistent/file")]
    [InlineData("bitswap", "stat")]
    public async Task BadInput_ClearMessage_ExitOne_NoStackTrace(params string[] args)
    {
        await InitWithFileAsync("unused.txt", "");

        (int exit, _, string error) = await CliRunner.RunAsync([.. args, "--repo", _repo]);

        Assert.Equal(1, exit);
        Assert.StartsWith("Error: ", error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", error, StringComparison.Ordinal);
    }
}
