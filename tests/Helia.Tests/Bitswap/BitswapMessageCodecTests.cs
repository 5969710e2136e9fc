using System.Buffers;
using System.IO.Pipelines;
using Helia.Bitswap;
using Helia.Bitswap.Messages;
using Helia.Multiformats;

namespace Helia.Tests.Bitswap;

public class BitswapMessageCodecTests
{
    private static readonly Cid s_helloCid = Cid.Compute(Multicodec.Raw, "hello"u8);

    [Fact]
    public void Write_WantHaveEntry_MatchesByteLiteral()
    {
        var message = new BitswapMessage();
        message.Wantlist.Add(new WantlistEntry(s_helloCid, 1, WantType: WantType.Have, SendDontHave: true));

        byte[] expected =
        [
            0x30,                   // frame length 48
            0x0a, 0x2e,             // field 1 (wantlist), 46 bytes
            0x0a, 0x2c,             // field 1 (entries), 44 bytes
            0x0a, 0x24, .. s_helloCid.ToArray(), // block = CID (36 bytes)
            0x10, 0x01,             // priority 1
            0x20, 0x01,             // wantType Have
            0x28, 0x01,             // sendDontHave
        ];

        Assert.Equal(expected, Encode(message, BitswapProtocolVersion.V120));
        Assert.Equal(expected.Length - 1, BitswapMessageCodec.GetSize(message, BitswapProtocolVersion.V120));

        BitswapMessage decoded = DecodeFrame(expected);
        WantlistEntry entry = Assert.Single(decoded.Wantlist);
        Assert.Equal(new WantlistEntry(s_helloCid, 1, false, WantType.Have, true), entry);
        Assert.False(decoded.FullWantlist);
    }

    [Fact]
    public void Decode_PayloadByteLiteral_RebuildsCidFromPrefixAndData()
    {
        byte[] frame =
        [
            0x0c,                         // frame length 12
            0x1a, 0x0a,                   // field 3 (payload), 10 bytes
            0x0a, 0x04, 0x01, 0x55, 0x12, 0x20, // prefix: CIDv1, raw, sha2-256, 32 bytes
            0x12, 0x02, 0x68, 0x69,       // data "hi"
        ];

        BitswapMessage message = DecodeFrame(frame);

        BitswapBlock block = Assert.Single(message.Blocks);
        Assert.Equal(Cid.Compute(Multicodec.Raw, "hi"u8), block.Cid);
        Assert.Equal("hi"u8.ToArray(), block.Data.ToArray());

        var reencoded = new BitswapMessage();
        reencoded.Blocks.Add(block);
        Assert.Equal(frame, Encode(reencoded, BitswapProtocolVersion.V120));
    }

    [Fact]
    public void Decode_PresencesAndPendingBytes_ByteLiteral()
    {
        byte[] cid = s_helloCid.ToArray();
        byte[] frame =
        [
            0x2d,                         // frame length 45
            0x22, 0x28,                   // field 4 (blockPresences), 40 bytes
            0x0a, 0x24, .. cid,           // cid
            0x10, 0x01,                   // DontHave
            0x28, 0xac, 0x02,             // pendingBytes 300
        ];

        BitswapMessage message = DecodeFrame(frame);

        Assert.Equal(new BlockPresence(s_helloCid, BlockPresenceType.DontHave), Assert.Single(message.BlockPresences));
        Assert.Equal(300, message.PendingBytes);
        Assert.Equal(frame, Encode(message, BitswapProtocolVersion.V120));
    }

    [Fact]
    public void RoundTrip_V120_KeepsEverything()
    {
        BitswapMessage message = SampleMessage();

        BitswapMessage decoded = DecodeFrame(Encode(message, BitswapProtocolVersion.V120));

        Assert.True(decoded.FullWantlist);
        Assert.Equal(message.Wantlist, decoded.Wantlist);
        Assert.Equal(message.BlockPresences, decoded.BlockPresences);
        Assert.Equal(message.PendingBytes, decoded.PendingBytes);
        Assert.Equal(message.Blocks.Select(b => b.Cid), decoded.Blocks.Select(b => b.Cid));
        for (int i = 0; i < message.Blocks.Count; i++)
        {
            Assert.True(message.Blocks[i].Data.Span.SequenceEqual(decoded.Blocks[i].Data.Span));
        }
    }

    [Fact]
    public void Write_V110_TurnsWantHavesIntoWantBlocksAndDropsPresences()
    {
        BitswapMessage decoded = DecodeFrame(Encode(SampleMessage(), BitswapProtocolVersion.V110));

        Assert.All(decoded.Wantlist, e => Assert.Equal(WantType.Block, e.WantType));
        Assert.All(decoded.Wantlist, e => Assert.False(e.SendDontHave));
        Assert.Empty(decoded.BlockPresences);
        Assert.Equal(0, decoded.PendingBytes);
        Assert.Equal(3, decoded.Blocks.Count);
    }

    [Fact]
    public void Write_V100_SendsBlocksWithoutPrefixesAsCidV0()
    {
        byte[] data = [1, 2, 3];
        Cid v0 = Cid.CreateV0(Multihash.Compute(Multicodec.Sha2_256, data));
        var message = new BitswapMessage();
        message.Blocks.Add(new BitswapBlock(v0, data));

        byte[] frame = Encode(message, BitswapProtocolVersion.V100);

        Assert.Equal(new byte[] { 0x05, 0x12, 0x03, 1, 2, 3 }, frame);   // field 2 (blocks), 3 bytes
        Assert.Equal(v0, Assert.Single(DecodeFrame(frame).Blocks).Cid);
    }

    [Theory]
    [InlineData(Multicodec.Sha2_256, 32)]
    [InlineData(Multicodec.Sha2_256, 20)]
    [InlineData(Multicodec.Sha2_512, 64)]
    [InlineData(Multicodec.Identity, 5)]
    public void Decode_AnySupportedHasher_RebuildsVerifiableCid(Multicodec hash, int digestLength)
    {
        byte[] data = "block"u8.ToArray();
        var prefix = new CidPrefix(1, (ulong)Multicodec.DagCbor, (ulong)hash, digestLength);
        Assert.True(prefix.TryComputeCid(data, out Cid cid));
        var message = new BitswapMessage();
        message.Blocks.Add(new BitswapBlock(cid, data));

        BitswapBlock block = Assert.Single(DecodeFrame(Encode(message, BitswapProtocolVersion.V120)).Blocks);

        Assert.Equal(cid, block.Cid);
        Assert.Equal(digestLength, block.Cid.Hash.Digest.Length);
        Assert.True(block.Cid.Hash.Matches(data));
        Assert.Equal(prefix, CidPrefix.FromCid(block.Cid));
    }

    [Fact]
    public void Decode_UnsupportedHasher_SkipsAndCountsTheBlock()
    {
        byte[] body = [0x1a, 0x09, 0x0a, 0x04, 0x01, 0x55, 0x22, 0x08, 0x12, 0x01, 0x41]; // murmur3-x64-64 prefix (no hasher)

        BitswapMessage message = BitswapMessageCodec.Decode(new ReadOnlySequence<byte>(body));

        Assert.Empty(message.Blocks);
        Assert.Equal(1, message.UnsupportedBlocks);
    }

    [Theory]
    [InlineData(new byte[] { 0x0a, 0x03, 0x0a, 0x01 })]                              // wantlist truncated inside
    [InlineData(new byte[] { 0x0a, 0x05, 0x0a, 0x03, 0x0a, 0x01, 0x00 })]            // entry with a 1-byte CID
    [InlineData(new byte[] { 0x0a, 0x06, 0x0a, 0x04, 0x0a, 0x00, 0x20, 0x05 })]      // empty CID
    [InlineData(new byte[] { 0x1a, 0x06, 0x0a, 0x04, 0x00, 0x55, 0x12, 0x20 })]      // v0 prefix naming raw
    [InlineData(new byte[] { 0x1a, 0x06, 0x0a, 0x04, 0x01, 0x55, 0x12, 0x40 })]      // sha2-256 with a 64-byte digest
    [InlineData(new byte[] { 0x1a, 0x06, 0x0a, 0x04, 0x02, 0x55, 0x12, 0x20 })]      // CID version 2
    [InlineData(new byte[] { 0x1a, 0x07, 0x0a, 0x05, 0x01, 0x55, 0x12, 0x20, 0x00 })] // trailing byte in prefix
    [InlineData(new byte[] { 0x1a, 0x04, 0x0a, 0x02, 0x01, 0x55 })]                  // truncated prefix
    [InlineData(new byte[] { 0x1a, 0x08, 0x0a, 0x04, 0x01, 0x55, 0x00, 0x03, 0x12, 0x00 })] // identity length 3, data 0
    [InlineData(new byte[] { 0x22, 0x02, 0x10, 0x05 })]                              // presence without CID, bad type
    [InlineData(new byte[] { 0x28, 0xff, 0xff, 0xff, 0xff, 0x0f })]                  // negative pendingBytes
    [InlineData(new byte[] { 0xff })]                                                // bad tag
    public void Decode_Malformed_ThrowsBitswapProtocolException(byte[] body)
    {
        Assert.Throws<BitswapProtocolException>(() => BitswapMessageCodec.Decode(new ReadOnlySequence<byte>(body)));
    }

    [Fact]
    public void TryReadFrame_Truncated_ReturnsFalseAndLeavesBuffer()
    {
        byte[] frame = Encode(SampleMessage(), BitswapProtocolVersion.V120);
        for (int length = 0; length < frame.Length; length += 97)
        {
            var buffer = new ReadOnlySequence<byte>(frame, 0, length);
            Assert.False(BitswapMessageCodec.TryReadFrame(ref buffer, BitswapMessageCodec.MaxMessageSize, out _));
            Assert.Equal(length, buffer.Length);
        }
    }

    [Fact]
    public void TryReadFrame_OversizedPrefix_ThrowsBeforeTheBodyArrives()
    {
        Span<byte> prefix = stackalloc byte[Varint.MaxLength];
        int written = Varint.Write(BitswapMessageCodec.MaxMessageSize + 1, prefix);
        var buffer = new ReadOnlySequence<byte>(prefix[..written].ToArray());

        Assert.Throws<BitswapProtocolException>(() => BitswapMessageCodec.TryReadFrame(ref buffer, BitswapMessageCodec.MaxMessageSize, out _));
    }

    [Fact]
    public void TryReadFrame_MalformedLength_Throws()
    {
        var buffer = new ReadOnlySequence<byte>(Enumerable.Repeat((byte)0xff, 10).ToArray());

        Assert.Throws<BitswapProtocolException>(() => BitswapMessageCodec.TryReadFrame(ref buffer, BitswapMessageCodec.MaxMessageSize, out _));
    }

    [Fact]
    public async Task ReadAsync_TwoMessagesThenEnd_ReturnsBothThenNull()
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        var pipe = new Pipe();
        BitswapMessageCodec.Write(SampleMessage(), BitswapProtocolVersion.V120, pipe.Writer);
        var second = new BitswapMessage { PendingBytes = 7 };
        BitswapMessageCodec.Write(second, BitswapProtocolVersion.V120, pipe.Writer);
        await pipe.Writer.CompleteAsync();

        BitswapMessage? first = await BitswapMessageCodec.ReadAsync(pipe.Reader, BitswapMessageCodec.MaxMessageSize, ct);
        BitswapMessage? next = await BitswapMessageCodec.ReadAsync(pipe.Reader, BitswapMessageCodec.MaxMessageSize, ct);
        BitswapMessage? end = await BitswapMessageCodec.ReadAsync(pipe.Reader, BitswapMessageCodec.MaxMessageSize, ct);

        Assert.Equal(3, first!.Blocks.Count);
        Assert.Equal(7, next!.PendingBytes);
        Assert.Null(end);
    }

    [Fact]
    public async Task ReadAsync_TwoMessagesBufferedStreamOpen_ReturnsBothWithoutWaiting()
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        var pipe = new Pipe();
        BitswapMessageCodec.Write(new BitswapMessage { PendingBytes = 1 }, BitswapProtocolVersion.V120, pipe.Writer);
        BitswapMessageCodec.Write(new BitswapMessage { PendingBytes = 2 }, BitswapProtocolVersion.V120, pipe.Writer);
        await pipe.Writer.FlushAsync(ct);

        BitswapMessage? first = await BitswapMessageCodec.ReadAsync(pipe.Reader, BitswapMessageCodec.MaxMessageSize, ct).AsTask().WaitAsync(TimeSpan.FromSeconds(10), ct);
        BitswapMessage? second = await BitswapMessageCodec.ReadAsync(pipe.Reader, BitswapMessageCodec.MaxMessageSize, ct).AsTask().WaitAsync(TimeSpan.FromSeconds(10), ct);

        Assert.Equal(1, first!.PendingBytes);
        Assert.Equal(2, second!.PendingBytes);
    }

    [Fact]
    public async Task ReadAsync_StreamEndsInsideMessage_Throws()
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        byte[] frame = Encode(SampleMessage(), BitswapProtocolVersion.V120);
        var pipe = new Pipe();
        await pipe.Writer.WriteAsync(frame.AsMemory(0, frame.Length - 1), ct);
        await pipe.Writer.CompleteAsync();

        await Assert.ThrowsAsync<BitswapProtocolException>(async () =>
            await BitswapMessageCodec.ReadAsync(pipe.Reader, BitswapMessageCodec.MaxMessageSize, ct));
    }

    [Fact]
    public async Task ReadAsync_BodyArrivesInPieces_WaitsForTheWholeMessage()
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        byte[] frame = Encode(SampleMessage(), BitswapProtocolVersion.V120);
        var pipe = new Pipe();
        ValueTask<BitswapMessage?> read = BitswapMessageCodec.ReadAsync(pipe.Reader, BitswapMessageCodec.MaxMessageSize, ct);
        for (int offset = 0; offset < frame.Length; offset += 1000)
        {
            await pipe.Writer.WriteAsync(frame.AsMemory(offset, Math.Min(1000, frame.Length - offset)), ct);
        }

        BitswapMessage? message = await read.AsTask().WaitAsync(TimeSpan.FromSeconds(10), ct);
        Assert.Equal(3, message!.Blocks.Count);
    }

    [Fact]
    public void Decode_RandomBytes_NeverThrowsAnythingElse()
    {
        var random = new Random(6);
        byte[] valid = Encode(SampleMessage(), BitswapProtocolVersion.V120)[3..];
        for (int i = 0; i < 3000; i++)
        {
            byte[] body = i % 2 == 0 ? new byte[random.Next(0, 64)] : valid[..random.Next(0, Math.Min(valid.Length, 300))].ToArray();
            if (i % 2 == 0)
            {
                random.NextBytes(body);
            }
            else if (body.Length > 0)
            {
                body[random.Next(body.Length)] ^= (byte)random.Next(1, 256);
            }

            try
            {
                BitswapMessageCodec.Decode(new ReadOnlySequence<byte>(body));
            }
            catch (BitswapProtocolException)
            {
            }
        }
    }

    [Fact]
    public void Builder_SizeMatchesEncoder()
    {
        var random = new Random(1);
        foreach (BitswapProtocolVersion version in Enum.GetValues<BitswapProtocolVersion>())
        {
            var builder = new BitswapMessageBuilder(version);
            for (int i = 0; i < 200; i++)
            {
                byte[] data = new byte[random.Next(0, 300)];
                random.NextBytes(data);
                Cid cid = Cid.Compute(Multicodec.Raw, data);
                switch (i % 5)
                {
                    case 0: Assert.True(builder.TryAdd(new BitswapBlock(cid, data))); break;
                    case 1: Assert.True(builder.TryAdd(new BlockPresence(cid, (BlockPresenceType)(i % 2)))); break;
                    case 2: Assert.True(builder.TryAdd(new WantlistEntry(cid, random.Next(-5, int.MaxValue), i % 3 == 0, (WantType)(i % 2), i % 4 == 0))); break;
                    case 3: Assert.True(builder.TrySetPendingBytes(random.Next(0, 1 << 20))); break;
                    default: Assert.True(builder.TrySetFullWantlist()); break;
                }

                Assert.Equal(BitswapMessageCodec.GetSize(Snapshot(builder, version), version), builder.Size);
            }
        }
    }

    [Fact]
    public void Split_LargeResponse_MessagesStayUnderTheLimit()
    {
        var message = new BitswapMessage();
        for (int i = 0; i < 7; i++)
        {
            byte[] data = new byte[BitswapMessageCodec.MaxBlockSize - 1000 + i];
            data[0] = (byte)i;
            message.Blocks.Add(new BitswapBlock(Cid.Compute(Multicodec.Raw, data), data));
            message.BlockPresences.Add(new BlockPresence(s_helloCid, BlockPresenceType.Have));
        }

        List<BitswapMessage> parts = BitswapMessageBuilder.Split(message, BitswapProtocolVersion.V120);

        Assert.Equal(4, parts.Count);
        Assert.All(parts, p => Assert.InRange(BitswapMessageCodec.GetSize(p, BitswapProtocolVersion.V120), 1, BitswapMessageCodec.MaxMessageSize));
        Assert.Equal(message.Blocks.Select(b => b.Cid), parts.SelectMany(p => p.Blocks).Select(b => b.Cid));
        Assert.Equal(7, parts.Sum(p => p.BlockPresences.Count));
    }

    [Fact]
    public void Split_BlockLargerThanAMessage_Throws()
    {
        byte[] data = new byte[BitswapMessageCodec.MaxMessageSize];
        var message = new BitswapMessage();
        message.Blocks.Add(new BitswapBlock(Cid.Compute(Multicodec.Raw, data), data));

        Assert.Throws<ArgumentException>(() => BitswapMessageBuilder.Split(message, BitswapProtocolVersion.V120));
        Assert.Throws<ArgumentException>(() => Encode(message, BitswapProtocolVersion.V120));
    }

    private static BitswapMessage Snapshot(BitswapMessageBuilder builder, BitswapProtocolVersion version)
    {
        // Encode what the builder holds without consuming it: split with no limit is a copy.
        BitswapMessage built = builder.Build();
        var copy = BitswapMessageBuilder.Split(built, version, int.MaxValue)[0];
        foreach (WantlistEntry entry in built.Wantlist)
        {
            builder.TryAdd(entry);
        }

        if (built.FullWantlist)
        {
            builder.TrySetFullWantlist();
        }

        foreach (BitswapBlock block in built.Blocks)
        {
            builder.TryAdd(block);
        }

        foreach (BlockPresence presence in built.BlockPresences)
        {
            builder.TryAdd(presence);
        }

        builder.TrySetPendingBytes(built.PendingBytes);
        return copy;
    }

    private static BitswapMessage SampleMessage()
    {
        var message = new BitswapMessage { FullWantlist = true, PendingBytes = 123456 };
        for (int i = 0; i < 3; i++)
        {
            byte[] data = new byte[1000 * (i + 1)];
            new Random(i).NextBytes(data);
            Cid cid = Cid.Compute(i == 2 ? Multicodec.DagCbor : Multicodec.Raw, data);
            message.Blocks.Add(new BitswapBlock(cid, data));
            message.Wantlist.Add(new WantlistEntry(cid, i + 1, i == 1, i == 0 ? WantType.Have : WantType.Block, i != 1));
            message.BlockPresences.Add(new BlockPresence(cid, i == 0 ? BlockPresenceType.Have : BlockPresenceType.DontHave));
        }

        return message;
    }

    private static byte[] Encode(BitswapMessage message, BitswapProtocolVersion version)
    {
        var writer = new ArrayBufferWriter<byte>();
        BitswapMessageCodec.Write(message, version, writer);
        return writer.WrittenSpan.ToArray();
    }

    private static BitswapMessage DecodeFrame(byte[] frame)
    {
        var buffer = new ReadOnlySequence<byte>(frame);
        Assert.True(BitswapMessageCodec.TryReadFrame(ref buffer, BitswapMessageCodec.MaxMessageSize, out ReadOnlySequence<byte> body));
        Assert.True(buffer.IsEmpty);
        return BitswapMessageCodec.Decode(body);
    }
}
