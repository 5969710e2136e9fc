using Helia.Core.Blocks;
using Helia.Core.Car;
using Helia.Multiformats;
using Helia.Tests.Blocks;

namespace Helia.Tests.Cli;

/// <summary>dag export and dag import against offline repos, as a user types them.</summary>
public sealed class DagCommandTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task ExportThenImport_FileMovesToAnotherRepo_PinnedAsKuboPrints()
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        (string to, string cid, byte[] car) = await AddAndExportAsync(XorShift32.Generate(7, 700_000));   // three chunks: a dag-pb root over raw leaves
        string carFile = _dir.Combine("file.car");
        await File.WriteAllBytesAsync(carFile, car, ct);
        string imported = await RunOkAsync("dag", "import", carFile, "--repo", to);
        string pins = await RunOkAsync("pin", "ls", "--type", "recursive", "--repo", to);
        byte[] again = await ExportAsync(cid, to);

        await using CarReader reader = CarReader.Create(new MemoryStream(car));
        Assert.Equal([Cid.Parse(cid)], (await reader.ReadHeaderAsync(ct)).Roots);
        List<Block> blocks = await reader.ReadBlocksAsync(ct).ToListAsync(ct);
        Assert.Equal(Cid.Parse(cid), blocks[0].Cid);
        Assert.Equal(4, blocks.Count);
        Assert.Equal($"Pinned root\t{cid}\tsuccess\n", imported);
        Assert.Equal($"{cid} recursive\n", pins);
        Assert.Equal(car, again);   // every block arrived: the other repo exports the same CAR
    }

    [Fact]
    public async Task Import_PinRootsFalse_StoresWithoutPinning_StatsCountBlocks()
    {
        (string to, string cid, byte[] car) = await AddAndExportAsync("Hello World"u8.ToArray());
        string carFile = _dir.Combine("hello.car");
        await File.WriteAllBytesAsync(carFile, car, TestContext.Current.CancellationToken);

        string imported = await RunOkAsync("dag", "import", "--pin-roots=false", "--stats", carFile, "--repo", to);
        string pins = await RunOkAsync("pin", "ls", "--type", "recursive", "--repo", to);
        string cat = await RunOkAsync("cat", cid, "--repo", to);

        Assert.Equal("Imported 1 blocks (11 bytes)\n", imported);
        Assert.Equal("", pins);
        Assert.Equal("Hello World", cat);
    }

    [Fact]
    public async Task Import_Stdin_ImportsAndPins()
    {
        (string to, string cid, byte[] car) = await AddAndExportAsync("from stdin"u8.ToArray());

        (int exit, string output, string error, _) = await CliRunner.RunWithStdinAsync(car, "dag", "import", "--repo", to);

        Assert.True(exit == 0, error);
        Assert.Equal($"Pinned root\t{cid}\tsuccess\n", output);
    }

    [Fact]
    public async Task Import_IncompleteDag_StoresBlocksButReportsThePinFailure()
    {
        (string to, string cid, byte[] car) = await AddAndExportAsync(XorShift32.Generate(8, 600_000));
        string carFile = _dir.Combine("partial.car");
        await File.WriteAllBytesAsync(carFile, CutAfterSections(car, 2), TestContext.Current.CancellationToken);   // the root and its first leaf only

        (int exit, _, string error) = await CliRunner.RunAsync("dag", "import", carFile, "--repo", to);
        string stat = await RunOkAsync("block", "stat", cid, "--repo", to);

        Assert.Equal(1, exit);
        Assert.Contains($"pinning root \"{cid}\" FAILED", error, StringComparison.Ordinal);
        Assert.StartsWith($"Key: {cid}", stat, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Import_IncompleteDagThroughARunningDaemon_ReportsThePinFailureAtOnce()
    {
        // Online, the pin must not wait on the network for the blocks the CAR lacked (it once hung there for good).
        CancellationToken ct = TestContext.Current.CancellationToken;
        (string to, string cid, byte[] car) = await AddAndExportAsync(XorShift32.Generate(9, 600_000));
        string carFile = _dir.Combine("partial.car");
        await File.WriteAllBytesAsync(carFile, CutAfterSections(car, 2), ct);
        await using HeliaProcess daemon = await HeliaProcess.StartDaemonAsync(
            TimeSpan.FromSeconds(60), ct, "--listen", "/ip4/127.0.0.1/tcp/0", "--api", "/ip4/127.0.0.1/tcp/0", "--no-mdns", "--repo", to);

        (int exit, _, string error) = await HeliaProcess.RunAsync(TimeSpan.FromSeconds(30), ct, "dag", "import", carFile, "--repo", to);

        Assert.Equal(1, exit);
        Assert.Contains($"pinning root \"{cid}\" FAILED: block was not found locally (offline)", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Import_CorruptCar_FailsWithTheReason_StoresNothingBad()
    {
        (string to, string cid, byte[] car) = await AddAndExportAsync("Hello World"u8.ToArray());
        car[^1] ^= 1;   // the block's last byte: it no longer hashes to its CID
        string carFile = _dir.Combine("bad.car");
        await File.WriteAllBytesAsync(carFile, car, TestContext.Current.CancellationToken);

        (int exit, _, string error) = await CliRunner.RunAsync("dag", "import", carFile, "--repo", to);
        (int statExit, _, _) = await CliRunner.RunAsync("block", "stat", cid, "--repo", to);

        Assert.Equal(1, exit);
        Assert.Contains("do not hash to its CID", error, StringComparison.Ordinal);
        Assert.Equal(1, statExit);
    }

    [Fact]
    public async Task Export_MissingRoot_FailsWithoutOutput()
    {
        string repo = await InitAsync("repo");
        string missing = Cid.Compute(Multicodec.Raw, "not here"u8).ToString();

        (int exit, _, string error, byte[] stdout) = await CliRunner.RunWithStdinAsync([], "dag", "export", missing, "--repo", repo);

        Assert.Equal(1, exit);
        Assert.StartsWith("Error:", error, StringComparison.Ordinal);
        Assert.Empty(stdout);
    }

    [Fact]
    public async Task Export_MissingLeafOffline_FailsWithTheReasonBeforeAnyOutput()
    {
        // An HTTP/1.1 response cannot report an error after the CAR has started, so offline the DAG is checked first.
        (string to, string cid, byte[] car) = await AddAndExportAsync(XorShift32.Generate(10, 600_000));
        string carFile = _dir.Combine("partial.car");
        await File.WriteAllBytesAsync(carFile, CutAfterSections(car, 2), TestContext.Current.CancellationToken);
        await RunOkAsync("dag", "import", "--pin-roots=false", carFile, "--repo", to);

        (int exit, _, string error, byte[] stdout) = await CliRunner.RunWithStdinAsync([], "dag", "export", cid, "--repo", to);

        Assert.Equal(1, exit);
        Assert.Contains("not found", error, StringComparison.OrdinalIgnoreCase);
        Assert.Empty(stdout);
    }

    /// <summary>Adds <paramref name="content"/> to a new repo in 256 KiB chunks and exports it; returns a second, empty repo too.</summary>
    private async Task<(string To, string Cid, byte[] Car)> AddAndExportAsync(byte[] content)
    {
        string from = await InitAsync("from");
        string to = await InitAsync("to");
        string file = _dir.Combine("content.bin");
        await File.WriteAllBytesAsync(file, content, TestContext.Current.CancellationToken);
        string cid = (await RunOkAsync("add", "-Q", "--cid-version", "1", "--chunker", "size-262144", file, "--repo", from)).Trim();
        return (to, cid, await ExportAsync(cid, from));
    }

    private async Task<string> InitAsync(string name)
    {
        string repo = _dir.Combine(name);
        await RunOkAsync("init", "--profile", "test", "--repo", repo);
        return repo;
    }

    private static async Task<byte[]> ExportAsync(string cid, string repo)
    {
        (int exit, _, string error, byte[] car) = await CliRunner.RunWithStdinAsync([], "dag", "export", cid, "--repo", repo);
        Assert.True(exit == 0, $"helia dag export exited {exit}: {error}");
        return car;
    }

    private static async Task<string> RunOkAsync(params string[] args)
    {
        (int exit, string output, string error) = await CliRunner.RunAsync(args);
        Assert.True(exit == 0, $"helia {string.Join(' ', args)} exited {exit}: {error}");
        return output;
    }

    /// <summary>The header and the first <paramref name="sections"/> sections of a CAR.</summary>
    private static byte[] CutAfterSections(byte[] car, int sections)
    {
        int offset = 0;
        for (int i = 0; i <= sections; i++)
        {
            offset += (int)Varint.Read(car.AsSpan(offset), out int read) + read;
        }

        return car[..offset];
    }
}
