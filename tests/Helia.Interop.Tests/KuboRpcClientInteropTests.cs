using System.Formats.Tar;
using System.IO.Compression;
using System.Text.Json;
using Helia.Multiformats;
using Helia.Tests.Cli;

namespace Helia.Interop.Tests;

/// <summary>
/// Issue 8's RPC check with a real client: kubo-rpc-client (pinned in interop/js) against two running `helia daemon`
/// processes, through interop/js/kubo-rpc-check.mjs.
/// </summary>
public sealed class KuboRpcClientInteropTests : IDisposable
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(60);
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "helia-kubo-rpc-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_dir))
        {
            Directory.Delete(_dir, recursive: true);
        }
    }

    [Fact]
    public async Task KuboRpcClient_AgainstHeliaDaemon_EveryCommandAnswersAsKubo()
    {
        NodePeer.SkipIfUnavailable();
        CancellationToken ct = TestContext.Current.CancellationToken;
        string repoA = Path.Combine(_dir, "a");
        string repoB = Path.Combine(_dir, "b");
        await using HeliaProcess daemonA = await HeliaProcess.InitAndStartLoopbackDaemonAsync(repoA, s_timeout, ct);
        await using HeliaProcess daemonB = await HeliaProcess.InitAndStartLoopbackDaemonAsync(repoB, s_timeout, ct);
        Uri api = ApiUri(repoA);
        using JsonDocument idB = JsonDocument.Parse(await HeliaProcess.RunOkAsync(s_timeout, ct, "id", "--repo", repoB));
        string peerB = idB.RootElement.GetProperty("ID").GetString()!;
        string addressB = idB.RootElement.GetProperty("Addresses")[0].GetString()!;
        byte[] file = new byte[300_000];
        new Random(5).NextBytes(file);
        string filePath = Path.Combine(_dir, "file.bin");
        await File.WriteAllBytesAsync(filePath, file, ct);

        await using NodePeer js = NodePeer.Start("kubo-rpc-check.mjs", api.ToString().TrimEnd('/'), addressB, filePath);
        JsonElement result = await js.ReadJsonAsync(s_timeout, ct);

        Assert.False(result.TryGetProperty("error", out JsonElement error), $"kubo-rpc-client failed at {result}: {error}\n{js.StandardError}");
        using JsonDocument idA = JsonDocument.Parse(await HeliaProcess.RunOkAsync(s_timeout, ct, "id", "--repo", repoA));
        Assert.Equal(idA.RootElement.GetProperty("ID").GetString(), result.GetProperty("id").GetProperty("id").GetString());
        Assert.NotEmpty(result.GetProperty("id").GetProperty("addresses").EnumerateArray());
        Assert.False(string.IsNullOrEmpty(result.GetProperty("version").GetString()));

        string fileCid = Cid.Compute(Multicodec.Raw, file).ToString();   // CIDv1, one raw leaf: the file is under one chunk
        Assert.Equal(fileCid, result.GetProperty("add").GetProperty("cid").GetString());
        Assert.Equal(file.Length, result.GetProperty("add").GetProperty("size").GetInt32());
        Assert.Equal(Convert.ToBase64String(file), result.GetProperty("cat").GetString());
        await AssertTarOfOneFileAsync(Convert.FromBase64String(result.GetProperty("get").GetString()!), fileCid, file, ct);
        await using (var gzip = new GZipStream(new MemoryStream(Convert.FromBase64String(result.GetProperty("getCompressed").GetString()!)), CompressionMode.Decompress))
        using (var unzipped = new MemoryStream())
        {
            await gzip.CopyToAsync(unzipped, ct);
            Assert.Equal(file, unzipped.ToArray());   // compress without archive: the file's own bytes, gzipped
        }

        // Kubo's ls of a one-block file lists its links, none: kubo-rpc-client then yields the path itself as a file,
        // without a size or name.
        JsonElement entry = Assert.Single(result.GetProperty("ls").EnumerateArray());
        Assert.Equal(fileCid, entry.GetProperty("cid").GetString());
        Assert.False(entry.TryGetProperty("size", out _));
        Assert.Equal("file", entry.GetProperty("type").GetString());

        byte[] block = "a block from kubo-rpc-client"u8.ToArray();
        string blockCid = Cid.Compute(Multicodec.Raw, block).ToString();
        Assert.Equal(blockCid, result.GetProperty("blockPut").GetString());
        Assert.Equal(Convert.ToBase64String(block), result.GetProperty("blockGet").GetString());
        Assert.Equal(blockCid, result.GetProperty("blockStat").GetProperty("cid").GetString());
        Assert.Equal(block.Length, result.GetProperty("blockStat").GetProperty("size").GetInt32());

        Assert.Equal(blockCid, result.GetProperty("pinAdd").GetString());
        string[] pinned = [.. result.GetProperty("pinLs").EnumerateArray().Where(p => p.GetProperty("type").GetString() == "recursive").Select(p => p.GetProperty("cid").GetString()!)];
        Assert.Contains(blockCid, pinned);
        Assert.Contains(fileCid, pinned);   // add pins by default, as Kubo's does
        Assert.Equal(blockCid, result.GetProperty("pinRm").GetString());
        Assert.DoesNotContain(blockCid, result.GetProperty("pinLsAfterRm").EnumerateArray().Select(p => p.GetString()));

        Assert.Contains(result.GetProperty("swarmPeers").EnumerateArray(), p => p.GetProperty("peer").GetString() == peerB);
        Assert.Equal("/ip4/127.0.0.1/tcp/0", result.GetProperty("configApi").GetString());   // the config's, not the bound port
        Assert.False(result.GetProperty("configMdns").GetBoolean());
        Assert.Equal("yes", result.GetProperty("configHeaders").GetProperty("X-Test")[0].GetString());
        Assert.Equal(idA.RootElement.GetProperty("ID").GetString(), result.GetProperty("configShow").GetProperty("peerId").GetString());
        Assert.False(result.GetProperty("configShow").GetProperty("hasPrivKey").GetBoolean());
        using JsonDocument configA = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(repoA, "config"), ct));
        Assert.False(configA.RootElement.GetProperty("Discovery").GetProperty("MDNS").GetProperty("Enabled").GetBoolean());
        string[] collected = [.. result.GetProperty("gc").EnumerateArray().Select(c => c.GetString()!)];
        Assert.Contains(blockCid, collected);     // unpinned: collected
        Assert.DoesNotContain(fileCid, collected);   // pinned by add: kept
    }

    /// <summary>get's tar: one entry named after the CID, holding the file.</summary>
    private static async Task AssertTarOfOneFileAsync(byte[] tar, string name, byte[] content, CancellationToken ct)
    {
        await using var reader = new TarReader(new MemoryStream(tar));
        TarEntry? entry = await reader.GetNextEntryAsync(copyData: true, ct);
        Assert.NotNull(entry);
        Assert.Equal(TarEntryType.RegularFile, entry.EntryType);
        Assert.Equal(name, entry.Name);
        using var data = new MemoryStream();
        await entry.DataStream!.CopyToAsync(data, ct);
        Assert.Equal(content, data.ToArray());
        Assert.Null(await reader.GetNextEntryAsync(copyData: false, ct));
    }

    internal static Uri ApiUri(string repo)
    {
        string address = File.ReadAllText(Path.Combine(repo, "api")).Trim();   // /ip4/127.0.0.1/tcp/PORT
        string[] parts = address.Split('/');
        return new Uri($"http://{parts[2]}:{parts[4]}/");
    }
}
