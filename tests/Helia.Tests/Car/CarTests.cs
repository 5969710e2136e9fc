using CsCheck;
using Helia.Core.Blocks;
using Helia.Core.Car;
using Helia.Core.Ipld;
using Helia.Core.Ipld.DagPb;
using Helia.Multiformats;
using Helia.Tests.Pins;

namespace Helia.Tests.Car;

public class CarTests
{
    // The header @ipld/car and go-car write for this one root: 0x3a bytes of {"roots": [tag 42 (0x00 + CID)], "version": 1}.
    private const string RootText = "bafkreiffsgtnic7uebaeuaixgph3pmmq2ywglpylzwrswv5so7m23hyuny";

    [Fact]
    public void WriteHeader_OneRoot_IsCanonicalDagCbor()
    {
        Cid root = Cid.Parse(RootText);
        var output = new System.Buffers.ArrayBufferWriter<byte>();
        CarFormat.WriteHeader(output, [root]);

        string expected = "3a" + "a2" + "65726f6f7473" + "81" + "d82a" + "5825" + "00" + Convert.ToHexStringLower(root.ToArray())
            + "6776657273696f6e" + "01";
        Assert.Equal(expected, Convert.ToHexStringLower(output.WrittenSpan));
    }

    [Fact]
    public async Task ExportAsync_Tree_RoundTripsDepthFirstEachBlockOnce()
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        var store = new MemoryBlockstore();
        (Cid root, Cid[] all) = await TestDag.PutTreeAsync(store, "car", ct);
        // A second parent of the same subtree and leaf: the export still holds each block once.
        Cid top = await TestDag.PutNodeAsync(store, [root, all[1], all[4]], ct);

        byte[] car = await ExportAsync(store, [top], ct);
        (CarHeader header, List<Block> blocks) = await ReadAllAsync(car, ct);

        Assert.Equal([top], header.Roots);
        Assert.Equal([top, .. all], blocks.Select(b => b.Cid));
        foreach (Block block in blocks)
        {
            Assert.Equal((await store.GetAsync(block.Cid, ct)).ToArray(), block.Bytes.ToArray());
        }
    }

    [Fact]
    public async Task ExportAsync_MissingBlock_ThrowsBlockNotFound()
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        var store = new MemoryBlockstore();
        (Cid root, Cid[] all) = await TestDag.PutTreeAsync(store, "missing", ct);
        await store.DeleteAsync(all[3], ct);

        await Assert.ThrowsAsync<BlockNotFoundException>(() => ExportAsync(store, [root], ct));
    }

    [Fact]
    public async Task ReadBlocksAsync_OneByteReads_ReadsEveryBlock()
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        byte[] car = await SmallCarAsync(ct);
        await using var stream = new OneByteStream(car);
        await using CarReader reader = CarReader.Create(stream);
        List<Block> blocks = await reader.ReadBlocksAsync(ct).ToListAsync(ct);

        Assert.Equal(5, blocks.Count);
        Assert.Single((await reader.ReadHeaderAsync(ct)).Roots);
    }

    [Fact]
    public async Task ReadBlocksAsync_EveryTruncation_EndsAtSectionBoundaryOrThrows()
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        byte[] car = await SmallCarAsync(ct);
        List<int> boundaries = SectionEnds(car);
        for (int length = 0; length < car.Length; length++)
        {
            byte[] prefix = car[..length];
            int complete = boundaries.IndexOf(length);
            if (complete >= 0)
            {
                // Cut exactly after the header or a section: a shorter but well-formed CAR.
                (_, List<Block> blocks) = await ReadAllAsync(prefix, ct);
                Assert.Equal(complete, blocks.Count);
            }
            else
            {
                CarFormatException error = await Assert.ThrowsAsync<CarFormatException>(() => ReadAllAsync(prefix, ct));
                Assert.Matches("empty|ends inside", error.Message);
            }
        }
    }

    [Theory]
    [InlineData("ffffffffffffffffffff", "not a valid varint")]                 // overlong varint
    [InlineData("8080808080808001", "more than the 1048576 allowed")]          // 2^49-byte header: refused before buffering
    [InlineData("00", "header is empty")]
    [InlineData("0101", "not a map")]                                           // the integer 1
    [InlineData("01a2", "not valid dag-cbor")]                                  // a map cut short
    [InlineData("0aa16776657273696f6e02", "CARv2 ends inside its header")]      // the CARv2 pragma alone
    [InlineData("11a265726f6f7473806776657273696f6e03", "version 3")]
    [InlineData("0aa16776657273696f6e01", "no roots")]
    [InlineData("08a165726f6f747380", "no version")]
    [InlineData("12a265726f6f7473806776657273696f6e6131", "version is not an unsigned integer")]
    [InlineData("0fa265726f6f747380656f7468657201", "unknown key")]
    [InlineData("0fa265726f6f74738065726f6f747380", "valid dag-cbor")]       // a duplicate key
    [InlineData("11a265726f6f7473016776657273696f6e01", "not an array")]
    [InlineData("13a265726f6f747381416f6776657273696f6e01", "not a CID")]       // a byte string without tag 42
    [InlineData("15a265726f6f747381d82b41006776657273696f6e01", "tag 43")]
    [InlineData("15a265726f6f747381d82a41016776657273696f6e01", "0x00 multibase prefix")]
    [InlineData("16a265726f6f747381d82a4200026776657273696f6e01", "not a valid CID")]
    [InlineData("12a265726f6f7473806776657273696f6e0100", "follow the CAR header")]
    public async Task ReadHeaderAsync_BadHeader_ThrowsCarFormatException(string hex, string messagePart)
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        CarFormatException error = await Assert.ThrowsAsync<CarFormatException>(() => ReadAllAsync(Convert.FromHexString(hex), ct));
        Assert.Contains(messagePart, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadHeaderAsync_TooManyRoots_ThrowsCarFormatException()
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        Cid root = Cid.Parse(RootText);
        byte[] car = Write([root, root, root], []);
        var options = new CarReaderOptions { MaxRoots = 2 };

        CarFormatException error = await Assert.ThrowsAsync<CarFormatException>(() => ReadAllAsync(car, ct, options));
        Assert.Contains("more than 2 roots", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("ffffffffffffffffffff", "not a valid varint")]
    [InlineData("ffffffff0f", "more than the")]                                 // a 4 GiB section: refused before buffering
    [InlineData("00", "section is empty")]
    [InlineData("0201ff", "ends inside its CID")]                               // the codec varint cut by the section end
    [InlineData("020155", "ends inside its CID")]
    [InlineData("0402551200", "valid CID")]                                       // CID version 2
    public async Task ReadBlocksAsync_BadSection_ThrowsCarFormatException(string sectionHex, string messagePart)
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        byte[] car = [.. Write([Cid.Parse(RootText)], []), .. Convert.FromHexString(sectionHex)];

        CarFormatException error = await Assert.ThrowsAsync<CarFormatException>(() => ReadAllAsync(car, ct));
        Assert.Contains(messagePart, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadBlocksAsync_BlockTooLarge_ThrowsBeforeBuffering()
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        byte[] bytes = new byte[101];
        byte[] car = Write([], [new Block(Cid.Compute(Multicodec.Raw, bytes), bytes)]);
        var options = new CarReaderOptions { MaxBlockLength = 100 };

        CarFormatException error = await Assert.ThrowsAsync<CarFormatException>(() => ReadAllAsync(car, ct, options));
        Assert.Contains("more than the 100 allowed", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadBlocksAsync_BytesDoNotMatchCid_ThrowsAndYieldsNothingForIt()
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        byte[] good = "good"u8.ToArray();
        byte[] car = Write([], [new Block(Cid.Compute(Multicodec.Raw, good), good), new Block(Cid.Compute(Multicodec.Raw, "bad"u8), "bat"u8.ToArray())]);

        var yielded = new List<Block>();
        await using CarReader reader = CarReader.Create(new MemoryStream(car));
        CarFormatException error = await Assert.ThrowsAsync<CarFormatException>(async () =>
        {
            await foreach (Block block in reader.ReadBlocksAsync(ct))
            {
                yielded.Add(block);
            }
        });

        Assert.Contains("do not hash to its CID", error.Message, StringComparison.Ordinal);
        Assert.Equal(good, Assert.Single(yielded).Bytes.ToArray());
    }

    [Fact]
    public async Task ReadBlocksAsync_UnknownHashFunction_ThrowsCarFormatException()
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        Cid cid = Cid.CreateV1(Multicodec.Raw, Multihash.Create(0x3fff, [1, 2, 3]));
        byte[] car = Write([], [new Block(cid, "x"u8.ToArray())]);

        CarFormatException error = await Assert.ThrowsAsync<CarFormatException>(() => ReadAllAsync(car, ct));
        Assert.Contains("cannot verify", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadBlocksAsync_IdentityAndCidV0Blocks_AreVerified()
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        byte[] data = "inline"u8.ToArray();
        Cid identity = Cid.CreateV1(Multicodec.Raw, Multihash.Create(Multicodec.Identity, data));
        byte[] node = DagPbCodec.Encode(new PBNode([], new byte[] { 8, 1 }));
        Cid v0 = Cid.CreateV0(Multihash.Compute(Multicodec.Sha2_256, node));
        byte[] car = Write([v0], [new Block(v0, node), new Block(identity, data)]);

        (CarHeader header, List<Block> blocks) = await ReadAllAsync(car, ct);
        Assert.Equal([v0], header.Roots);
        Assert.Equal([v0, identity], blocks.Select(b => b.Cid));
    }

    [Fact]
    public async Task ReadBlocksAsync_CarV2_ReadsItsPayloadAndIgnoresTheIndex()
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        byte[] v1 = await SmallCarAsync(ct);
        byte[] v2 = WrapV2(v1, padding: 5, index: [0xff, 0xff, 0xff]);   // an index we must not parse

        (CarHeader expectedHeader, List<Block> expectedBlocks) = await ReadAllAsync(v1, ct);
        await using CarReader reader = CarReader.Create(new MemoryStream(v2));
        CarHeader header = await reader.ReadHeaderAsync(ct);
        List<Block> blocks = await reader.ReadBlocksAsync(ct).ToListAsync(ct);

        Assert.Equal(2, reader.Version);
        Assert.Equal(expectedHeader.Roots, header.Roots);
        Assert.Equal(expectedBlocks.Select(b => b.Cid), blocks.Select(b => b.Cid));
    }

    [Fact]
    public async Task ReadBlocksAsync_CarV2EveryTruncation_ThrowsUntilThePayloadIsWhole()
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        byte[] v1 = await SmallCarAsync(ct);
        byte[] v2 = WrapV2(v1, padding: 3, index: [0x80, 0x08, 1, 2]);
        int payloadEnd = CarV2Header.PrefixLength + 3 + v1.Length;
        for (int length = 0; length <= v2.Length; length++)
        {
            byte[] prefix = v2[..length];
            if (length >= payloadEnd)
            {
                (_, List<Block> blocks) = await ReadAllAsync(prefix, ct);
                Assert.Equal(5, blocks.Count);
            }
            else
            {
                await Assert.ThrowsAsync<CarFormatException>(() => ReadAllAsync(prefix, ct));
            }
        }
    }

    [Theory]
    [InlineData("offset in header", "points into its header")]
    [InlineData("empty payload", "payload is empty")]
    [InlineData("index in payload", "points into its data payload")]
    [InlineData("huge offset", "too large")]
    [InlineData("offset past end", "ends before its data payload")]
    [InlineData("size past end", "bytes before the end of its data payload")]
    [InlineData("size inside a section", "ends inside a section")]
    [InlineData("v2 payload", "where a CARv1 header was expected")]
    public async Task ReadBlocksAsync_BadCarV2_ThrowsCarFormatException(string kind, string messagePart)
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        byte[] v1 = Write([], [new Block(Cid.Compute(Multicodec.Raw, "v2"u8), "v2"u8.ToArray())]);
        ulong start = CarV2Header.PrefixLength;
        ulong size = (ulong)v1.Length;
        byte[] car = kind switch
        {
            "offset in header" => WrapV2(v1, 0, [], dataOffset: start - 1),
            "empty payload" => WrapV2(v1, 0, [], dataSize: 0),
            "index in payload" => WrapV2(v1, 0, [], indexOffset: start + size - 1),
            "huge offset" => WrapV2(v1, 0, [], dataOffset: ulong.MaxValue),
            "offset past end" => WrapV2(v1, 0, [], dataOffset: start + 1000),
            "size past end" => WrapV2(v1, 0, [], dataSize: size + 10),
            "size inside a section" => WrapV2(v1, 0, [], dataSize: size - 1),
            _ => WrapV2([.. CarFormat.V2Pragma, .. v1], 0, []),
        };

        CarFormatException error = await Assert.ThrowsAsync<CarFormatException>(() => ReadAllAsync(car, ct));
        Assert.Contains(messagePart, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadBlocksAsync_MutatedCarV2_OnlyCarFormatException()
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        byte[] car = WrapV2(await SmallCarAsync(ct), padding: 2, index: [1, 2, 3]);
        Gen<(int Position, byte Value)> mutations = Gen.Select(Gen.Int[0, car.Length - 1], Gen.Byte);
        await mutations.SampleAsync(async mutation =>
        {
            byte[] mutated = [.. car];
            mutated[mutation.Position] = mutation.Value;
            await ReadOrCarFormatExceptionAsync(mutated, ct);
        });
    }

    [Fact]
    public async Task ReadBlocksAsync_RandomBytes_OnlyCarFormatException()
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        await Gen.Byte.Array[0, 200].SampleAsync(async bytes =>
        {
            await ReadOrCarFormatExceptionAsync(bytes, ct);
        });
    }

    [Fact]
    public async Task ReadBlocksAsync_MutatedCar_OnlyCarFormatException()
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        byte[] car = await SmallCarAsync(ct);
        Gen<(int Position, byte Value, int Cut)> mutations =
            Gen.Select(Gen.Int[0, car.Length - 1], Gen.Byte, Gen.Int[0, car.Length]);
        await mutations.SampleAsync(async mutation =>
        {
            byte[] mutated = car[..mutation.Cut];
            if (mutation.Position < mutated.Length)
            {
                mutated[mutation.Position] = mutation.Value;
            }

            await ReadOrCarFormatExceptionAsync(mutated, ct);
        });
    }

    private static async Task ReadOrCarFormatExceptionAsync(byte[] bytes, CancellationToken ct)
    {
        try
        {
            (_, List<Block> blocks) = await ReadAllAsync(bytes, ct);
            foreach (Block block in blocks)
            {
                Assert.True(block.Cid.Hash.Matches(block.Bytes.Span));
            }
        }
        catch (CarFormatException)
        {
        }
    }

    /// <summary>A CAR of <see cref="TestDag.PutTreeAsync"/>: header, then five blocks.</summary>
    private static async Task<byte[]> SmallCarAsync(CancellationToken ct)
    {
        var store = new MemoryBlockstore();
        (Cid root, _) = await TestDag.PutTreeAsync(store, "small", ct);
        return await ExportAsync(store, [root], ct);
    }

    private static async Task<byte[]> ExportAsync(IBlockstore store, Cid[] roots, CancellationToken ct)
    {
        using var output = new MemoryStream();
        await CarExporter.ExportAsync(store, BlockCodecs.CreateDefault(), roots, output, ct);
        return output.ToArray();
    }

    private static byte[] Write(Cid[] roots, Block[] blocks)
    {
        var output = new System.Buffers.ArrayBufferWriter<byte>();
        CarFormat.WriteHeader(output, roots);
        foreach (Block block in blocks)
        {
            CarFormat.WriteSection(output, block.Cid, block.Bytes.Span);
        }

        return output.WrittenSpan.ToArray();
    }

    /// <summary>
    /// A CARv2 around <paramref name="payload"/>: pragma, header, <paramref name="padding"/> zero bytes, the payload,
    /// then <paramref name="index"/>; the header's fields default to that layout.
    /// </summary>
    private static byte[] WrapV2(byte[] payload, int padding, byte[] index, ulong? dataOffset = null, ulong? dataSize = null, ulong? indexOffset = null)
    {
        byte[] header = new byte[CarV2Header.PrefixLength - CarFormat.V2PragmaLength];
        ulong offset = (ulong)(CarV2Header.PrefixLength + padding);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt64LittleEndian(header.AsSpan(16), dataOffset ?? offset);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt64LittleEndian(header.AsSpan(24), dataSize ?? (ulong)payload.Length);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt64LittleEndian(header.AsSpan(32), indexOffset ?? (index.Length == 0 ? 0 : offset + (ulong)payload.Length));
        return [.. CarFormat.V2Pragma, .. header, .. new byte[padding], .. payload, .. index];
    }

    private static async Task<(CarHeader Header, List<Block> Blocks)> ReadAllAsync(byte[] car, CancellationToken ct, CarReaderOptions? options = null)
    {
        await using CarReader reader = CarReader.Create(new MemoryStream(car), options);
        CarHeader header = await reader.ReadHeaderAsync(ct);
        List<Block> blocks = await reader.ReadBlocksAsync(ct).ToListAsync(ct);
        return (header, blocks);
    }

    /// <summary>The offsets where the header and each section end (a varint then that many bytes).</summary>
    private static List<int> SectionEnds(byte[] car)
    {
        var ends = new List<int>();
        int offset = 0;
        while (offset < car.Length)
        {
            offset += (int)Varint.Read(car.AsSpan(offset), out int read) + read;
            ends.Add(offset);
        }

        return ends;
    }

    /// <summary>A stream that hands out one byte per read, so every item spans many pipe reads.</summary>
    private sealed class OneByteStream(byte[] bytes) : MemoryStream(bytes)
    {
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            base.ReadAsync(buffer.Length > 1 ? buffer[..1] : buffer, cancellationToken);
    }
}
