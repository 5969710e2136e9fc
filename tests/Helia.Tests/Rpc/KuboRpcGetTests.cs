using System.Formats.Tar;
using System.IO.Compression;
using System.Net;
using System.Text;
using System.Text.Json;
using Helia.Cli.Daemon;
using Helia.Cli.Http.Rpc;
using Helia.Core.Blocks;
using Helia.Multiformats;
using Helia.UnixFS;
using Helia.UnixFS.Importer;

namespace Helia.Tests.Rpc;

/// <summary>POST /api/v0/get over a real UnixFS DAG in memory: the tar stream Kubo returns, and its options.</summary>
public sealed class KuboRpcGetTests : IAsyncDisposable
{
    private static readonly DateTimeOffset s_mtime = new(2024, 5, 6, 7, 8, 9, TimeSpan.Zero);
    private readonly MemoryBlockstore _blocks = new();
    private readonly byte[] _big = new byte[700_000];   // several 256 KiB chunks: the file streams through a DAG
    private RpcTestHost? _host;

    public KuboRpcGetTests() => new Random(8).NextBytes(_big);

    public async ValueTask DisposeAsync()
    {
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }
    }

    private async Task<(RpcTestHost Host, Cid Root)> StartWithTreeAsync()
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        var unixfs = new HeliaUnixFS(_blocks);
        var tree = new ImportDirectory("tree",
        [
            ImportFile.FromBytes("a.txt", "alpha"u8.ToArray()),
            ImportFile.FromBytes("big.bin", _big),
            new ImportSymlink("link", "a.txt"),
            new ImportDirectory("sub", [ImportFile.FromBytes("b.txt", "bravo!"u8.ToArray()) with { Mode = 0b110_000_000, Mtime = UnixFSTime.FromDateTimeOffset(s_mtime) }]),
        ]);
        DagNode root = await new UnixFSImporter(_blocks, ImporterOptions.UnixFSV1_2025 with { Chunker = new FixedSizeChunker(256 * 1024) }).ImportEntryAsync(tree, ct);
        _host = await RpcTestHost.StartAsync(new KuboRpcBackend { UnixFS = new NodeUnixFS(unixfs, _blocks) });
        return (_host, root.Cid);
    }

    private static async Task<List<(TarEntry Entry, byte[] Data)>> ReadTarAsync(Stream stream)
    {
        var entries = new List<(TarEntry, byte[])>();
        await using var reader = new TarReader(stream);
        while (await reader.GetNextEntryAsync(copyData: true, TestContext.Current.CancellationToken) is { } entry)
        {
            using var data = new MemoryStream();
            if (entry.DataStream is not null)
            {
                await entry.DataStream.CopyToAsync(data, TestContext.Current.CancellationToken);
            }

            entries.Add((entry, data.ToArray()));
        }

        return entries;
    }

    [Fact]
    public async Task Get_Directory_StreamsTheTreeAsTar()
    {
        (RpcTestHost host, Cid root) = await StartWithTreeAsync();

        HttpResponseMessage response = await host.PostAsync($"/api/v0/get?arg={root}");
        List<(TarEntry Entry, byte[] Data)> entries = await ReadTarAsync(await response.Content.ReadAsStreamAsync(TestContext.Current.CancellationToken));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/x-tar", response.Content.Headers.ContentType?.MediaType);
        Assert.True(long.Parse(response.Headers.GetValues(KuboRpcEndpoints.ContentLengthHeader).Single(), System.Globalization.CultureInfo.InvariantCulture) > _big.Length);
        string r = root.ToString();
        Assert.Equal([r, $"{r}/a.txt", $"{r}/big.bin", $"{r}/link", $"{r}/sub", $"{r}/sub/b.txt"], entries.Select(e => e.Entry.Name.TrimEnd('/')));
        Assert.All(entries, e => Assert.IsType<PaxTarEntry>(e.Entry));   // the transport format keeps sub-second times
        Assert.Equal(TarEntryType.Directory, entries[0].Entry.EntryType);
        Assert.Equal("alpha", Encoding.UTF8.GetString(entries[1].Data));
        Assert.Equal(_big, entries[2].Data);
        Assert.Equal(TarEntryType.SymbolicLink, entries[3].Entry.EntryType);
        Assert.Equal("a.txt", entries[3].Entry.LinkName);
        Assert.Equal((UnixFileMode)0b111_101_101, entries[4].Entry.Mode);   // no mode in the DAG: Kubo's 0755 default
        Assert.Equal((UnixFileMode)0b110_100_100, entries[1].Entry.Mode);   // and 0644 for files
        Assert.Equal("bravo!", Encoding.UTF8.GetString(entries[5].Data));
        Assert.Equal((UnixFileMode)0b110_000_000, entries[5].Entry.Mode);
        Assert.Equal(s_mtime, entries[5].Entry.ModificationTime);
    }

    [Fact]
    public async Task Get_SubPathWithArchive_OneUstarEntryNamedAfterTheLastSegment()
    {
        (RpcTestHost host, Cid root) = await StartWithTreeAsync();

        HttpResponseMessage response = await host.PostAsync($"/api/v0/get?arg=/ipfs/{root}/sub/b.txt&archive=true");
        List<(TarEntry Entry, byte[] Data)> entries = await ReadTarAsync(await response.Content.ReadAsStreamAsync(TestContext.Current.CancellationToken));

        (TarEntry entry, byte[] data) = Assert.Single(entries);
        Assert.IsType<UstarTarEntry>(entry);
        Assert.Equal("b.txt", entry.Name);
        Assert.Equal("bravo!", Encoding.UTF8.GetString(data));
        Assert.Equal("6", response.Headers.GetValues(KuboRpcEndpoints.ContentLengthHeader).Single());
    }

    [Fact]
    public async Task Get_CompressFile_IsTheGzippedBytes_CompressArchiveIsTarGz()
    {
        (RpcTestHost host, Cid root) = await StartWithTreeAsync();
        CancellationToken ct = TestContext.Current.CancellationToken;

        HttpResponseMessage file = await host.PostAsync($"/api/v0/get?arg={root}/big.bin&compress=true&compression-level=1");
        HttpResponseMessage archive = await host.PostAsync($"/api/v0/get?arg={root}&archive=true&compress=true");

        Assert.Equal("application/gzip", file.Content.Headers.ContentType?.MediaType);
        using var unzipped = new MemoryStream();
        await using (var gzip = new GZipStream(await file.Content.ReadAsStreamAsync(ct), CompressionMode.Decompress))
        {
            await gzip.CopyToAsync(unzipped, ct);
        }

        Assert.Equal(_big, unzipped.ToArray());
        await using var tarGz = new GZipStream(await archive.Content.ReadAsStreamAsync(ct), CompressionMode.Decompress);
        Assert.Equal(6, (await ReadTarAsync(tarGz)).Count);
    }

    [Theory]
    [InlineData("compress=true", HttpStatusCode.InternalServerError, 0, "file is not regular")]   // a directory, gzipped without tar
    [InlineData("compress=true&compression-level=10", HttpStatusCode.BadRequest, 1, "compression level must be between 1 and 9")]
    [InlineData("compress=maybe", HttpStatusCode.BadRequest, 1, "invalid value \"maybe\" for boolean option \"compress\"")]
    public async Task Get_BadOptions_KuboErrors(string query, HttpStatusCode status, int code, string message)
    {
        (RpcTestHost host, Cid root) = await StartWithTreeAsync();

        HttpResponseMessage response = await host.PostAsync($"/api/v0/get?arg={root}&{query}");

        Assert.Equal(status, response.StatusCode);
        using JsonDocument error = JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        Assert.Equal("error", error.RootElement.GetProperty("Type").GetString());
        Assert.Equal(code, error.RootElement.GetProperty("Code").GetInt32());
        Assert.Equal(message, error.RootElement.GetProperty("Message").GetString());
    }

    [Theory]
    [InlineData("", "argument \"ipfs-path\" is required")]
    [InlineData("?arg=not-a-cid", "not a valid CID")]
    public async Task Get_BadArgument_KuboError(string query, string message)
    {
        await StartWithTreeAsync();

        HttpResponseMessage response = await _host!.PostAsync("/api/v0/get" + query);

        Assert.False(response.IsSuccessStatusCode);
        using JsonDocument error = JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        Assert.Contains(message, error.RootElement.GetProperty("Message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Get_MissingBlockInsideTheFile_FailsTheStreamWithTheTrailer()
    {
        (RpcTestHost host, Cid root) = await StartWithTreeAsync();
        var unixfs = new HeliaUnixFS(_blocks);
        Cid big = (await unixfs.Exporter.ResolveAsync($"{root}/big.bin", TestContext.Current.CancellationToken)).Cid;
        Cid lastLeaf = (await unixfs.Exporter.GetNodeAsync(big, TestContext.Current.CancellationToken)).DagPb!.Links[^1].Hash;
        await _blocks.DeleteAsync(lastLeaf, TestContext.Current.CancellationToken);

        HttpResponseMessage response = await host.PostAsync($"/api/v0/get?arg={root}");
        byte[] body = await response.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);   // the header went out before the missing block was met
        Assert.True(response.TrailingHeaders.TryGetValues(RpcResponses.StreamErrorTrailer, out IEnumerable<string>? errors), $"{body.Length} bytes, no trailer");
        Assert.Contains(lastLeaf.ToString(), string.Join(";", errors), StringComparison.Ordinal);
    }
}
