using System.Formats.Tar;
using Helia.Cli;

namespace Helia.Tests.Cli;

/// <summary>get's unpacking refuses archives that would write outside the destination.</summary>
public sealed class TarExtractorTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "helia-tar-" + Guid.NewGuid().ToString("N"));

    public TarExtractorTests() => Directory.CreateDirectory(_dir);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static MemoryStream Archive(params TarEntry[] entries)
    {
        var stream = new MemoryStream();
        using (var writer = new TarWriter(stream, leaveOpen: true))
        {
            foreach (TarEntry entry in entries)
            {
                writer.WriteEntry(entry);
            }
        }

        stream.Position = 0;
        return stream;
    }

    private static PaxTarEntry File(string name, string text) =>
        new(TarEntryType.RegularFile, name) { DataStream = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(text)) };

    [Fact]
    public async Task Extract_Tree_WritesUnderTheDestination()
    {
        string destination = Path.Combine(_dir, "out");
        using MemoryStream archive = Archive(new PaxTarEntry(TarEntryType.Directory, "root"), File("root/a.txt", "alpha"),
            new PaxTarEntry(TarEntryType.Directory, "root/sub"), File("root/sub/b.txt", "bravo"));

        await TarExtractor.ExtractAsync(archive, destination, TestContext.Current.CancellationToken);

        Assert.Equal("alpha", await System.IO.File.ReadAllTextAsync(Path.Combine(destination, "a.txt"), TestContext.Current.CancellationToken));
        Assert.Equal("bravo", await System.IO.File.ReadAllTextAsync(Path.Combine(destination, "sub", "b.txt"), TestContext.Current.CancellationToken));
    }

    [Theory]
    [InlineData("root/../escape.txt")]
    [InlineData("other/escape.txt")]
    [InlineData("root/missing-dir/escape.txt")]
    public async Task Extract_EntryOutsideTheTree_IsRefused(string name)
    {
        string destination = Path.Combine(_dir, "out");
        using MemoryStream archive = Archive(new PaxTarEntry(TarEntryType.Directory, "root"), File(name, "x"));

        await Assert.ThrowsAsync<CliException>(() => TarExtractor.ExtractAsync(archive, destination, TestContext.Current.CancellationToken));

        Assert.False(System.IO.File.Exists(Path.Combine(_dir, "escape.txt")));
        Assert.Empty(Directory.EnumerateFiles(_dir, "escape.txt", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task Extract_FileThroughAnEarlierSymlink_IsRefused()
    {
        string outside = Path.Combine(_dir, "outside");
        Directory.CreateDirectory(outside);
        using MemoryStream archive = Archive(new PaxTarEntry(TarEntryType.Directory, "root"),
            new PaxTarEntry(TarEntryType.SymbolicLink, "root/link") { LinkName = outside }, File("root/link/escape.txt", "x"));

        await Assert.ThrowsAsync<CliException>(() => TarExtractor.ExtractAsync(archive, Path.Combine(_dir, "out"), TestContext.Current.CancellationToken));

        Assert.Empty(Directory.EnumerateFiles(outside));
    }

    [Fact]
    public async Task Extract_DirectoryThenFileThroughAnEarlierSymlinkOfTheSameName_IsRefused()
    {
        string outside = Path.Combine(_dir, "outside");
        Directory.CreateDirectory(outside);
        using MemoryStream archive = Archive(new PaxTarEntry(TarEntryType.Directory, "root"),
            new PaxTarEntry(TarEntryType.SymbolicLink, "root/link") { LinkName = outside },
            new PaxTarEntry(TarEntryType.Directory, "root/link"), File("root/link/escape.txt", "x"));

        await Assert.ThrowsAsync<CliException>(() => TarExtractor.ExtractAsync(archive, Path.Combine(_dir, "out"), TestContext.Current.CancellationToken));

        Assert.Empty(Directory.EnumerateFiles(outside));
    }

    [Fact]
    public async Task Extract_FileOverAnEarlierSymlinkOfTheSameName_IsRefused()
    {
        string victim = Path.Combine(_dir, "victim.txt");
        await System.IO.File.WriteAllTextAsync(victim, "keep", TestContext.Current.CancellationToken);
        using MemoryStream archive = Archive(new PaxTarEntry(TarEntryType.Directory, "root"),
            new PaxTarEntry(TarEntryType.SymbolicLink, "root/a") { LinkName = victim }, File("root/a", "overwritten"));

        await Assert.ThrowsAsync<CliException>(() => TarExtractor.ExtractAsync(archive, Path.Combine(_dir, "out"), TestContext.Current.CancellationToken));

        Assert.Equal("keep", await System.IO.File.ReadAllTextAsync(victim, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Extract_TruncatedArchive_ClearError()
    {
        using MemoryStream whole = Archive(new PaxTarEntry(TarEntryType.Directory, "root"), File("root/a.txt", new string('a', 5000)));
        byte[] bytes = whole.ToArray();
        int headers = bytes.Length - 5120 - 1024;      // the data (5000 bytes padded to 5120) and two zero blocks follow the headers
        using var truncated = new MemoryStream(bytes, 0, headers + 1000);

        CliException error = await Assert.ThrowsAsync<CliException>(() => TarExtractor.ExtractAsync(truncated, Path.Combine(_dir, "out"), TestContext.Current.CancellationToken));

        Assert.Contains("archive", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Extract_Garbage_ClearError()
    {
        byte[] bytes = new byte[700];
        new Random(3).NextBytes(bytes.AsSpan(0, 512));
        using var garbage = new MemoryStream(bytes);

        CliException error = await Assert.ThrowsAsync<CliException>(() => TarExtractor.ExtractAsync(garbage, Path.Combine(_dir, "out"), TestContext.Current.CancellationToken));

        Assert.Contains("archive", error.Message, StringComparison.Ordinal);
    }
}
