using Helia.Multiformats;
using Helia.UnixFS.Importer;

namespace Helia.Tests.UnixFS;

public class RabinChunkerTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData(16, 64, 1000)]
    [InlineData(16, 16, 16)]
    [InlineData(1000, 4096, 9000)]
    [InlineData(87381, 262144, 393216)]
    [InlineData(300, 300, 300_000)]
    public async Task Chunks_MatchTheRollingReference_WhateverTheReadSizes(int min, int avg, int max)
    {
        byte[] input = XorShift32.Generate(11, 3_000_000);
        var chunker = new RabinChunker(min, avg, max);
        List<int> expected = ReferenceChunks(input, min, avg, max);

        List<int> whole = await ChunkAsync(chunker, new MemoryStream(input));
        List<int> trickled = await ChunkAsync(chunker, new TricklingStream(input, seed: 3));

        Assert.Equal(expected, whole);
        Assert.Equal(expected, trickled);
        Assert.Equal(input.Length, whole.Sum());
        Assert.All(whole[..^1], length => Assert.InRange(length, min, max));
        if (min < max)
        {
            Assert.Contains(whole[..^1], length => length < max);   // content-defined cuts, not only forced ones
        }
    }

    [Fact]
    public async Task EmptyAndShortInputs_OneChunkOrNone()
    {
        var chunker = new RabinChunker(100, 200, 300);

        Assert.Empty(await ChunkAsync(chunker, new MemoryStream()));
        Assert.Equal([1], await ChunkAsync(chunker, new MemoryStream([7])));
        Assert.Equal([99], await ChunkAsync(chunker, new MemoryStream(new byte[99])));
        Assert.Equal([100, 100, 100, 1], await ChunkAsync(chunker, new MemoryStream(new byte[301])));   // zeros fingerprint to 0: a cut at every minimum
    }

    // Root CIDs printed by interop/js/unixfs-cids.mjs (ipfs-unixfs-importer 17.1.1, rabin-wasm 0.1.5), so the rabin
    // boundaries are checked even where Node is not installed.
    [Theory]
    [InlineData("helia", "rabin", 7u, 3_000_000, "bafybeiah7cbqggsxnkomhgb4ea5myusgcsx3642k7qfedn5zjvd34wfeeu")]
    [InlineData("helia", "rabin", 1u, 100, "bafkreictis42kaces2bmogop642pd72agzsa44nwiujdgq2xtum4lygn3u")]
    [InlineData("unixfs-v0-2015", "rabin-16-64-1000", 7u, 3_000_000, "QmdLpmKPnep81nTJcqpoz3k7Y55w7AGrs2r8c9Zg8AXVHH")]
    [InlineData("unixfs-v0-2015", "rabin-16-64-1000", 1u, 100, "QmTHsentmi45qqVerRjRt5bMkt33R5QebH1YLnBoEZmfH7")]
    public async Task Import_RabinVectors_SameCidAsJsHelia(string profile, string chunker, uint seed, int size, string expected)
    {
        var importer = new UnixFSImporter(null, ImporterOptions.FromProfile(profile) with { Chunker = Chunker.Parse(chunker), OnlyHash = true });

        DagNode node = await importer.ImportFileAsync(new XorShift32(seed, size), cancellationToken: Ct);

        Assert.Equal(Cid.Parse(expected), node.Cid);
    }

    [Theory]
    [InlineData("rabin", 87381, 262144, 393216)]
    [InlineData("rabin-3000", 1000, 3000, 4500)]
    [InlineData("rabin-16-64-1000", 16, 64, 1000)]
    [InlineData("rabin-min:16-avg:64-max:1000", 16, 64, 1000)]
    public void Parse_RabinForms_SizesAsKuboDerivesThem(string text, int min, int avg, int max)
    {
        var chunker = Assert.IsType<RabinChunker>(Chunker.Parse(text));

        Assert.Equal((min, avg, max), (chunker.MinSize, chunker.AverageSize, chunker.MaxSize));
        Assert.Equal(max, chunker.MaxChunkSize);
    }

    [Theory]
    [InlineData("rabin-8-64-1000", "at least 16")]
    [InlineData("rabin-100-50-1000", "must not exceed the average")]
    [InlineData("rabin-16-2000-1000", "must not exceed the maximum")]
    [InlineData("rabin-16-64-99999999", "exceeds the limit")]
    [InlineData("rabin-30", "between")]
    [InlineData("rabin-16-64", "expected size-N")]
    [InlineData("rabin-a-64-100", "not a size")]
    [InlineData("rabin-avg:16-64-100", "not a size")]
    [InlineData("rabin--1-64-100", "expected size-N")]
    [InlineData("rabin-+16-64-100", "not a size")]
    [InlineData("buzhash", "expected size-N")]
    [InlineData("size-0", "out of range")]
    public void Parse_BadChunker_ClearArgumentException(string text, string message)
    {
        ArgumentException error = Assert.ThrowsAny<ArgumentException>(() => Chunker.Parse(text));

        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    private static async Task<List<int>> ChunkAsync(RabinChunker chunker, Stream source)
    {
        IChunkReader reader = chunker.Open(source);
        byte[] buffer = new byte[chunker.MaxChunkSize];
        var lengths = new List<int>();
        int length;
        while ((length = await reader.ReadChunkAsync(buffer, Ct)) > 0)
        {
            lengths.Add(length);
        }

        return lengths;
    }

    /// <summary>
    /// The algorithm written the plain way, byte by byte as rabin-wasm runs it: a 16-byte window that starts every chunk
    /// holding a single 1, the fingerprint reduced after each byte, no skipping.
    /// </summary>
    private static List<int> ReferenceChunks(byte[] input, int min, int avg, int max)
    {
        const ulong polynomial = 0x3DA3358B4DC173;
        const int window = 16;
        ulong mask = (1UL << (int)Math.Floor(Math.Log2(avg))) - 1;
        var lengths = new List<int>();
        byte[] ring = new byte[window];
        int ringPos = 0;
        ulong digest = 0;
        int count = 0;
        Reset();
        foreach (byte b in input)
        {
            Slide(b);
            count++;
            if ((count >= min && (digest & mask) == 0) || count >= max)
            {
                lengths.Add(count);
                Reset();
            }
        }

        if (count > 0)
        {
            lengths.Add(count);
        }

        return lengths;

        void Reset()
        {
            Array.Clear(ring);
            ringPos = 0;
            digest = 0;
            count = 0;
            Slide(1);
        }

        void Slide(byte b)
        {
            byte leaving = ring[ringPos];
            ring[ringPos] = b;
            ringPos = (ringPos + 1) % window;
            ulong term = leaving;   // the leaving byte's term: the byte times x^(8*15), reduced
            for (int i = 1; i < window; i++)
            {
                term = Reduce(term << 8, polynomial);
            }

            digest ^= term;
            digest = Reduce((digest << 8) | b, polynomial);
        }
    }

    /// <summary>The remainder of <paramref name="value"/> divided by <paramref name="polynomial"/> over GF(2).</summary>
    private static ulong Reduce(ulong value, ulong polynomial)
    {
        int degree = 63 - System.Numerics.BitOperations.LeadingZeroCount(polynomial);
        while (value != 0 && 63 - System.Numerics.BitOperations.LeadingZeroCount(value) >= degree)
        {
            value ^= polynomial << ((63 - System.Numerics.BitOperations.LeadingZeroCount(value)) - degree);
        }

        return value;
    }

    /// <summary>Returns reads of 1 byte to 100 KiB at random, so chunks straddle reads everywhere.</summary>
    private sealed class TricklingStream(byte[] bytes, int seed) : MemoryStream(bytes)
    {
        private readonly Random _random = new(seed);

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            int take = Math.Min(buffer.Length, _random.Next(3) == 0 ? _random.Next(1, 17) : _random.Next(1, 100 * 1024));
            return base.ReadAsync(buffer[..take], cancellationToken);
        }
    }
}
