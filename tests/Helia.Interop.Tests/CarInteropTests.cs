using System.Text.Json;
using Helia.Core.Blocks;
using Helia.Core.Car;
using Helia.Core.Ipld;
using Helia.Core.Pins;
using Helia.Multiformats;
using Helia.Tests.Blocks;
using Helia.Tests.Cli;
using Helia.UnixFS;
using Helia.UnixFS.Importer;

namespace Helia.Interop.Tests;

/// <summary>
/// CARv1 both ways with @ipld/car 5.4.7 (pinned in interop/js), through interop/js/car-check.mjs: its CarReader reads
/// what we export, and what its CarWriter writes we import, read back and export again byte for byte.
/// </summary>
public sealed class CarInteropTests : IDisposable
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(60);
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Theory]
    [InlineData("unixfs-v1-2025")]   // CIDv1: dag-pb root over raw leaves
    [InlineData("unixfs-v0-2015")]   // CIDv0 everywhere, the root in the header too
    public async Task Export_ReadByIpldCar_SameRootsBlocksAndOrder(string profile)
    {
        NodePeer.SkipIfUnavailable("js", "@ipld/car");   // a node_modules from before @ipld/car was added skips, saying to run npm ci
        CancellationToken ct = TestContext.Current.CancellationToken;
        var store = new MemoryBlockstore();
        byte[] content = new byte[700_000];
        new Random(11).NextBytes(content);
        ImporterOptions options = ImporterOptions.FromProfile(profile) with { Chunker = new FixedSizeChunker(262_144) };
        Cid root = await new HeliaUnixFS(store).AddBytesAsync(content, options, ct);
        List<Block> expected = await DagWalker.WalkBlocksAsync(root, store, BlockCodecs.CreateDefault(), new HashSet<Cid>().Add, ct).ToListAsync(ct);
        string carPath = _dir.Combine("ours.car");
        await using (FileStream file = File.Create(carPath))
        {
            await CarExporter.ExportAsync(store, BlockCodecs.CreateDefault(), [root], file, ct);
        }

        JsonElement result = await RunAsync(ct, "read", carPath);

        Assert.Equal([root.ToString()], result.GetProperty("roots").EnumerateArray().Select(r => r.GetString()));
        JsonElement[] blocks = [.. result.GetProperty("blocks").EnumerateArray()];
        Assert.Equal(4, blocks.Length);
        Assert.Equal(expected.Select(b => b.Cid.ToString()), blocks.Select(b => b.GetProperty("cid").GetString()));
        for (int i = 0; i < blocks.Length; i++)
        {
            Assert.Equal(expected[i].Bytes.ToArray(), Convert.FromBase64String(blocks[i].GetProperty("bytes").GetString()!));
            Assert.True(blocks[i].GetProperty("valid").GetBoolean(), $"@ipld/car's block {i} does not hash to its CID");
        }
    }

    [Fact]
    public async Task ImportIpldCarWriterOutput_ReadsFileBack_AndOurExportIsByteIdentical()
    {
        NodePeer.SkipIfUnavailable("js", "@ipld/car");   // a node_modules from before @ipld/car was added skips, saying to run npm ci
        CancellationToken ct = TestContext.Current.CancellationToken;
        byte[] content = new byte[700_000];
        new Random(12).NextBytes(content);
        string input = _dir.Combine("input.bin");
        await File.WriteAllBytesAsync(input, content, ct);
        string carPath = _dir.Combine("theirs.car");

        JsonElement result = await RunAsync(ct, "write-file", input, carPath, "262144");
        Cid root = Cid.Parse(result.GetProperty("root").GetString()!);
        byte[] theirs = await File.ReadAllBytesAsync(carPath, ct);

        var store = new MemoryBlockstore();
        await using (CarReader reader = CarReader.Create(new MemoryStream(theirs)))
        {
            Assert.Equal([root], (await reader.ReadHeaderAsync(ct)).Roots);
            await foreach (Block block in reader.ReadBlocksAsync(ct))
            {
                await store.PutAsync(block.Cid, block.Bytes, ct);
            }
        }

        using var read = new MemoryStream();
        await foreach (ReadOnlyMemory<byte> chunk in new HeliaUnixFS(store).CatAsync(root.ToString(), cancellationToken: ct))
        {
            read.Write(chunk.Span);
        }

        using var ours = new MemoryStream();
        await CarExporter.ExportAsync(store, BlockCodecs.CreateDefault(), [root], ours, ct);
        Cid ourRoot = await new HeliaUnixFS(new MemoryBlockstore()).AddBytesAsync(content, ImporterOptions.UnixFSV1_2025 with { Chunker = new FixedSizeChunker(262_144) }, ct);

        Assert.Equal(4, result.GetProperty("blocks").GetInt32());
        Assert.Equal(content, read.ToArray());
        Assert.Equal(theirs, ours.ToArray());   // same header bytes, same sections, same depth-first order
        Assert.Equal(root, ourRoot);            // and our importer makes the same DAG from the same settings
    }

    [Fact]
    public async Task KuboRpcClient_DagExportAndImport_AgainstHeliaDaemon()
    {
        NodePeer.SkipIfUnavailable("js", "@ipld/car");
        CancellationToken ct = TestContext.Current.CancellationToken;
        string repo = _dir.Combine("repo");
        await using HeliaProcess daemon = await HeliaProcess.InitAndStartLoopbackDaemonAsync(repo, s_timeout, ct);
        string file = _dir.Combine("exported.bin");
        byte[] exported = new byte[600_000];
        new Random(13).NextBytes(exported);
        await File.WriteAllBytesAsync(file, exported, ct);
        string exportCid = (await HeliaProcess.RunOkAsync(s_timeout, ct, "add", "-Q", "--cid-version", "1", "--chunker", "size-262144", file, "--repo", repo)).Trim();

        // The CAR to import: a DAG the daemon does not have, made and exported here by the library.
        var store = new MemoryBlockstore();
        byte[] imported = new byte[500_000];
        new Random(14).NextBytes(imported);
        Cid importRoot = await new HeliaUnixFS(store).AddBytesAsync(imported, ImporterOptions.UnixFSV0_2015, ct);
        string carPath = _dir.Combine("import.car");
        await using (FileStream car = File.Create(carPath))
        {
            await CarExporter.ExportAsync(store, BlockCodecs.CreateDefault(), [importRoot], car, ct);
        }

        JsonElement result = await RunAsync(ct, "rpc", KuboRpcClientInteropTests.ApiUri(repo).ToString().TrimEnd('/'), exportCid, carPath);
        string pins = await HeliaProcess.RunOkAsync(s_timeout, ct, "pin", "ls", "--type", "recursive", "--repo", repo);

        JsonElement export = result.GetProperty("export");
        Assert.Equal([exportCid], export.GetProperty("roots").EnumerateArray().Select(r => r.GetString()));
        JsonElement[] blocks = [.. export.GetProperty("blocks").EnumerateArray()];
        Assert.Equal(4, blocks.Length);   // the dag-pb root and three 256 KiB raw leaves
        Assert.Equal(exportCid, blocks[0].GetProperty("cid").GetString());
        Assert.All(blocks, b => Assert.True(b.GetProperty("valid").GetBoolean()));
        JsonElement root = Assert.Single(result.GetProperty("import").EnumerateArray());
        Assert.Equal(importRoot.ToString(), root.GetProperty("cid").GetString());
        Assert.Equal("", root.GetProperty("pinErrorMsg").GetString());
        Assert.Contains($"{importRoot} recursive", pins, StringComparison.Ordinal);
    }

    private static async Task<JsonElement> RunAsync(CancellationToken ct, params string[] arguments)
    {
        await using NodePeer js = NodePeer.Start("car-check.mjs", arguments);
        JsonElement result = await js.ReadJsonAsync(s_timeout, ct);
        Assert.False(result.TryGetProperty("error", out JsonElement error), $"car-check.mjs {arguments[0]} failed: {error}\n{js.StandardError}");
        return result;
    }
}
