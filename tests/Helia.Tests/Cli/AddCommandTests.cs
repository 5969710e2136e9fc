using Helia.Core.Blocks;
using Helia.Multiformats;
using Helia.Tests.Blocks;
using Helia.UnixFS;
using Helia.UnixFS.Importer;

namespace Helia.Tests.Cli;

/// <summary>helia add of directories (-r), wrapped files (-w) and standard input, offline.</summary>
public sealed class AddCommandTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly string _repo;

    public AddCommandTests()
    {
        _repo = _dir.Combine("repo");
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => _dir.Dispose();

    private async Task<string> RunOkAsync(params string[] args)
    {
        (int exit, string output, string error) = await CliRunner.RunAsync([.. args, "--repo", _repo]);
        Assert.True(exit == 0, $"helia {string.Join(' ', args)} exited {exit}: {error}");
        return output;
    }

    private async Task<string> MakeTreeAsync()
    {
        await RunOkAsync("init", "--profile", "test");
        string tree = _dir.Combine("tree");
        Directory.CreateDirectory(Path.Combine(tree, "sub", "deeper"));
        await File.WriteAllTextAsync(Path.Combine(tree, "a.txt"), "alpha", Ct);
        await File.WriteAllTextAsync(Path.Combine(tree, ".hidden"), "secret", Ct);
        await File.WriteAllBytesAsync(Path.Combine(tree, "sub", "big.bin"), RandomBytes(700_000), Ct);
        await File.WriteAllTextAsync(Path.Combine(tree, "sub", "deeper", "c.txt"), "charlie", Ct);
        return tree;
    }

    private static byte[] RandomBytes(int length)
    {
        byte[] bytes = new byte[length];
        new Random(length).NextBytes(bytes);
        return bytes;
    }

    [Fact]
    public async Task AddRecursive_Directory_SameRootAsTheImporter_EveryEntryReported_GetRoundTrips()
    {
        string tree = await MakeTreeAsync();
        Cid expected = await new HeliaUnixFS(new MemoryBlockstore(), ImporterOptions.UnixFSV0_2015).AddPathAsync(tree, cancellationToken: Ct);

        string output = await RunOkAsync("add", "-r", tree);
        string output2 = _dir.Combine("out");
        await RunOkAsync("get", expected.ToString(), "-o", output2);
        string pins = await RunOkAsync("pin", "ls", "--type", "recursive");

        string[] lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal($"added {expected} tree", lines[^1]);
        Assert.Equal(
            ["tree/a.txt", "tree/sub/big.bin", "tree/sub/deeper/c.txt", "tree/sub/deeper", "tree/sub", "tree"],
            lines.Select(l => l.Split(' ')[2]));
        Assert.DoesNotContain(".hidden", output, StringComparison.Ordinal);
        Assert.Equal($"{expected} recursive\n", pins);   // only the root is pinned, as Kubo does
        Assert.Equal("alpha", await File.ReadAllTextAsync(Path.Combine(output2, "a.txt"), Ct));
        Assert.Equal(RandomBytes(700_000), await File.ReadAllBytesAsync(Path.Combine(output2, "sub", "big.bin"), Ct));
        Assert.Equal("charlie", await File.ReadAllTextAsync(Path.Combine(output2, "sub", "deeper", "c.txt"), Ct));
        Assert.False(File.Exists(Path.Combine(output2, ".hidden")));
    }

    [Fact]
    public async Task AddRecursive_Hidden_IncludesDotFiles()
    {
        string tree = await MakeTreeAsync();

        string output = await RunOkAsync("add", "-r", "--hidden", tree);

        Assert.Contains(" tree/.hidden\n", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AddWrap_File_WrapsInUnnamedDirectory()
    {
        await RunOkAsync("init", "--profile", "test");
        string file = _dir.Combine("hello.txt");
        await File.WriteAllTextAsync(file, "Hello World", Ct);

        string[] lines = (await RunOkAsync("add", "-w", "--cid-version", "1", file)).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        string wrapper = lines[^1].Split(' ')[1];
        string ls = await RunOkAsync("ls", wrapper);

        Assert.Equal(2, lines.Length);
        Assert.Equal("added bafkreiffsgtnic7uebaeuaixgph3pmmq2ywglpylzwrswv5so7m23hyuny hello.txt", lines[0]);
        Assert.Matches(@"^bafkreiffsgtnic7uebaeuaixgph3pmmq2ywglpylzwrswv5so7m23hyuny 11 hello\.txt\n$", ls);
    }

    [Fact]
    public async Task Add_Stdin_AddsThePipedBytes()
    {
        await RunOkAsync("init", "--profile", "test");

        (int exit, string output, string error, _) = await CliRunner.RunWithStdinAsync("Hello World"u8.ToArray(), "add", "--cid-version", "1", "--repo", _repo);

        Assert.True(exit == 0, error);
        Assert.Equal("added bafkreiffsgtnic7uebaeuaixgph3pmmq2ywglpylzwrswv5so7m23hyuny bafkreiffsgtnic7uebaeuaixgph3pmmq2ywglpylzwrswv5so7m23hyuny\n", output);
    }

    [Fact]
    public async Task Add_DirectoryWithoutRecursive_IsCleanError()
    {
        string tree = await MakeTreeAsync();

        (int exit, _, string error) = await CliRunner.RunAsync("add", tree, "--repo", _repo);

        Assert.Equal(1, exit);
        Assert.Contains("use the '-r' flag", error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("unixfs-v1-2025")]
    [InlineData("unixfs-v0-2015")]
    [InlineData("helia")]
    public async Task AddProfile_SameCidAsTheImporterWithThatProfile(string profile)
    {
        await RunOkAsync("init", "--profile", "test");
        byte[] bytes = RandomBytes(2_500_000);
        string file = _dir.Combine("big.bin");
        await File.WriteAllBytesAsync(file, bytes, Ct);
        Cid expected = await new HeliaUnixFS(new MemoryBlockstore(), ImporterOptions.FromProfile(profile)).AddBytesAsync(bytes, cancellationToken: Ct);

        string added = await RunOkAsync("add", "-Q", "--profile", profile, file);

        Assert.Equal($"{expected}\n", added);
    }

    [Fact]
    public async Task AddTrickle_SameCidAsTheTrickleImporter()
    {
        await RunOkAsync("init", "--profile", "test");
        byte[] bytes = RandomBytes(300_000);   // 293 chunks of 1 KiB: more than 174 leaves, so trickle and balanced differ
        string file = _dir.Combine("big.bin");
        await File.WriteAllBytesAsync(file, bytes, Ct);
        ImporterOptions small = ImporterOptions.UnixFSV0_2015 with { Chunker = new FixedSizeChunker(1024) };
        Cid expected = await new HeliaUnixFS(new MemoryBlockstore(), small with { Layout = FileLayout.Trickle }).AddBytesAsync(bytes, cancellationToken: Ct);
        Cid balanced = await new HeliaUnixFS(new MemoryBlockstore(), small).AddBytesAsync(bytes, cancellationToken: Ct);

        string added = await RunOkAsync("add", "-Q", "--trickle", "--chunker", "size-1024", file);

        Assert.Equal($"{expected}\n", added);
        Assert.NotEqual(balanced, expected);
    }

    [Theory]
    [InlineData("rabin-1000-4096-9000")]
    [InlineData("rabin")]
    public async Task AddRabin_SameCidAsTheRabinImporter(string chunker)
    {
        await RunOkAsync("init", "--profile", "test");
        byte[] bytes = RandomBytes(1_500_000);
        string file = _dir.Combine("big.bin");
        await File.WriteAllBytesAsync(file, bytes, Ct);
        ImporterOptions rabin = ImporterOptions.UnixFSV1_2025 with { Chunker = Chunker.Parse(chunker) };
        Cid expected = await new HeliaUnixFS(new MemoryBlockstore(), rabin).AddBytesAsync(bytes, cancellationToken: Ct);
        Cid fixedSize = await new HeliaUnixFS(new MemoryBlockstore(), ImporterOptions.UnixFSV1_2025).AddBytesAsync(bytes, cancellationToken: Ct);

        string added = await RunOkAsync("add", "-Q", "--profile", "unixfs-v1-2025", "--chunker", chunker, file);

        Assert.Equal($"{expected}\n", added);
        Assert.NotEqual(fixedSize, expected);
    }

    [Fact]
    public async Task AddInline_TinyFile_GetsAnIdentityCid()
    {
        await RunOkAsync("init", "--profile", "test");
        string file = _dir.Combine("hi.txt");
        await File.WriteAllTextAsync(file, "hi", Ct);

        string added = (await RunOkAsync("add", "-Q", "--cid-version", "1", "--inline", file)).Trim();

        Cid cid = Cid.Parse(added);
        Assert.Equal(Multicodec.Identity, cid.Hash.Algorithm);
        Assert.Equal("hi", await RunOkAsync("cat", added));
    }

    [Theory]
    [InlineData("--profile", "sideways")]
    [InlineData("--chunker", "rabin-1-2-3")]
    [InlineData("--chunker", "rabin-5000-4096-9000")]
    [InlineData("--chunker", "rabin-16-64-99999999")]
    [InlineData("--inline", "--inline-limit", "100000")]
    public async Task Add_UnsupportedOrBadOptions_CleanError(params string[] options)
    {
        await RunOkAsync("init", "--profile", "test");
        string file = _dir.Combine("hi.txt");
        await File.WriteAllTextAsync(file, "hi", Ct);

        (int exit, _, string error) = await CliRunner.RunAsync(["add", .. options, file, "--repo", _repo]);

        Assert.Equal(1, exit);
        Assert.StartsWith("Error: ", error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PinAdd_PathInsideDirectory_PinsTheResolvedCid()
    {
        string tree = await MakeTreeAsync();
        string[] lines = (await RunOkAsync("add", "-r", "--pin=false", tree)).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        string root = lines[^1].Split(' ')[1];
        string sub = lines.Single(l => l.EndsWith(" tree/sub", StringComparison.Ordinal)).Split(' ')[1];

        string pinned = await RunOkAsync("pin", "add", $"/ipfs/{root}/sub");

        Assert.Equal($"pinned {sub} recursively\n", pinned);
    }
}
