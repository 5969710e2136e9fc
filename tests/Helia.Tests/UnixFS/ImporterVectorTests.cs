using System.Security.Cryptography;
using Helia.Core.Blocks;
using Helia.UnixFS.Importer;

namespace Helia.Tests.UnixFS;

/// <summary>Every entry of the shared vectors (JS Helia's CIDs for xorshift32 inputs) must be reproduced exactly.</summary>
public class ImporterVectorTests
{
    public static TheoryData<string> FileVectors() =>
        [.. UnixFSVectors.Files.Select(v => $"{v.Seed}:{v.Size}:{v.Profile}")];

    public static TheoryData<string> DirectoryVectors() =>
        [.. UnixFSVectors.Directories.Select(v => $"{v.Tree}:{v.Profile}")];

    [Fact]
    public void Vectors_AreAllLoaded()
    {
        Assert.Equal(60, UnixFSVectors.Files.Count);
        Assert.Equal(9, UnixFSVectors.Directories.Count);
    }

    [Fact]
    public void XorShift32_SeedOne_StartsAsTheReadmeSays()
    {
        Assert.Equal([0x21, 0x20, 0x04, 0x00], XorShift32.Generate(1, 4));
    }

    [Fact]
    public void XorShift32_ReadInOddPieces_GivesTheSameBytesAsTheReadmeFormula()
    {
        // The README's generator written out byte by byte: each new state as 4 little-endian bytes, the last word cut short.
        const int Length = 4099;
        byte[] expected = new byte[Length];
        uint x = 7;
        for (int i = 0; i < Length; i++)
        {
            if (i % 4 == 0)
            {
                x ^= x << 13;
                x ^= x >> 17;
                x ^= x << 5;
            }

            expected[i] = (byte)(x >> (8 * (i % 4)));
        }

        using var stream = new XorShift32(7, Length);
        byte[] actual = new byte[Length + 10];
        int offset = 0;
        for (int piece = 1; offset < Length; piece += 2)
        {
            offset += stream.Read(actual, offset, Math.Min(piece, actual.Length - offset));
        }

        Assert.Equal(Length, offset);
        Assert.Equal(0, stream.Read(actual, offset, 10));
        Assert.Equal(expected, actual[..Length]);
    }

    [Theory]
    [MemberData(nameof(FileVectors))]
    public async Task ImportFile_Vector_MatchesJsHelia(string key)
    {
        UnixFSVectors.FileVector vector = UnixFSVectors.Files.Single(v => $"{v.Seed}:{v.Size}:{v.Profile}" == key);
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        byte[] bytes = XorShift32.Generate(vector.Seed, vector.Size);
        Assert.Equal(vector.Sha256, Convert.ToHexStringLower(SHA256.HashData(bytes)));

        var blockstore = new MemoryBlockstore();
        var importer = new UnixFSImporter(blockstore, ImporterOptions.FromProfile(vector.Profile));
        DagNode node = await importer.ImportFileAsync(new MemoryStream(bytes), cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(vector.Cid, node.Cid.ToString());
        Assert.Equal((ulong)vector.Size, node.FileBytes);
    }

    [Theory]
    [MemberData(nameof(FileVectors))]
    public async Task ImportFile_VectorOnlyHashFromStream_MatchesJsHelia(string key)
    {
        UnixFSVectors.FileVector vector = UnixFSVectors.Files.Single(v => $"{v.Seed}:{v.Size}:{v.Profile}" == key);
        var importer = new UnixFSImporter(null, ImporterOptions.FromProfile(vector.Profile) with { OnlyHash = true, MaxParallelism = 3 });

        DagNode node = await importer.ImportFileAsync(new XorShift32(vector.Seed, vector.Size), cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(vector.Cid, node.Cid.ToString());
    }

    [Theory]
    [MemberData(nameof(DirectoryVectors))]
    public async Task ImportDirectory_Vector_MatchesJsHelia(string key)
    {
        UnixFSVectors.DirectoryVector vector = UnixFSVectors.Directories.Single(v => $"{v.Tree}:{v.Profile}" == key);
        var importer = new UnixFSImporter(new MemoryBlockstore(), ImporterOptions.FromProfile(vector.Profile));

        DagNode node = await importer.ImportEntryAsync(VectorTrees.Build(vector.Tree), TestContext.Current.CancellationToken);

        Assert.Equal(vector.Cid, node.Cid.ToString());
    }
}
