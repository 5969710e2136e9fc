using System.Buffers;
using Google.Protobuf;
using Helia.Bitswap;
using Helia.Bitswap.Messages;
using Helia.Multiformats;
using Helia.Multiformats.Tests;
using PbMessage = Helia.Bitswap.Protos.Message;

namespace Helia.Tests.Bitswap;

/// <summary>
/// The hand-written message parser against the protobuf-generated one (<see cref="BitswapMessageCodec.DecodeWithProtobuf"/>):
/// the same messages, or the same refusal, on random messages, on every truncation and on random corruptions, with the
/// frame cut into random segments as a pipe hands it out.
/// </summary>
public class BitswapMessageParserTests
{
    [Fact]
    public void RandomMessages_InRandomSegments_DecodeAsTheGeneratedParserDoes()
    {
        var random = new Random(61);
        for (int i = 0; i < 300; i++)
        {
            byte[] body = RandomBody(random);
            BitswapMessage expected = BitswapMessageCodec.DecodeWithProtobuf(new ReadOnlySequence<byte>(body));
            BitswapMessage actual = BitswapMessageCodec.Decode(RandomSegments(body, random));
            AssertSame(expected, actual);
        }
    }

    [Fact]
    public void EveryTruncation_AcceptedOrRefusedAsTheGeneratedParserDoes()
    {
        var random = new Random(62);
        for (int i = 0; i < 10; i++)
        {
            byte[] body = RandomBody(random);
            for (int length = 0; length < body.Length; length++)
            {
                AssertEquivalent(body.AsSpan(0, length).ToArray(), random);
            }
        }
    }

    [Fact]
    public void RandomCorruptions_AcceptedOrRefusedAsTheGeneratedParserDoes()
    {
        var random = new Random(63);
        for (int i = 0; i < 3000; i++)
        {
            byte[] body = RandomBody(random);
            int flips = random.Next(1, 4);
            for (int f = 0; f < flips && body.Length > 0; f++)
            {
                body[random.Next(body.Length)] = (byte)random.Next(256);
            }

            AssertEquivalent(body, random);
        }
    }

    [Theory]
    [InlineData(new byte[] { 0x00, 0x00 })]                                      // field number 0
    [InlineData(new byte[] { 0x07, 0x00 })]                                      // field 0, wire type 7
    [InlineData(new byte[] { 0x4e })]                                            // wire type 6
    [InlineData(new byte[] { 0x4f })]                                            // wire type 7
    [InlineData(new byte[] { 0x28, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01 })] // an 11-byte varint
    [InlineData(new byte[] { 0x28, 0x80 })]                                      // a truncated varint
    [InlineData(new byte[] { 0x12, 0xff, 0xff, 0xff, 0xff, 0x0f })]              // a negative length
    [InlineData(new byte[] { 0x12, 0x80, 0x80, 0x80, 0x80, 0x08, 0x01 })]        // 2 GiB, far past the end
    [InlineData(new byte[] { 0x12, 0x05, 0x01, 0x02 })]                          // a block past the end
    [InlineData(new byte[] { 0x0a, 0x02, 0x0a, 0x05, 0x00, 0x00, 0x00 })]        // an entry past its wantlist's end, inside the message
    [InlineData(new byte[] { 0x49, 0x01, 0x02, 0x03 })]                          // a truncated fixed64
    [InlineData(new byte[] { 0x4d, 0x01, 0x02 })]                                // a truncated fixed32
    [InlineData(new byte[] { 0x4c })]                                            // an end of group that never started
    [InlineData(new byte[] { 0x4b, 0x08, 0x01 })]                                // a group without its end
    [InlineData(new byte[] { 0x4b, 0x54 })]                                      // a group of field 9 ended as field 10
    public void Malformed_RefusedLikeTheGeneratedParser(byte[] body)
    {
        Assert.Throws<BitswapProtocolException>(() => BitswapMessageCodec.DecodeWithProtobuf(new ReadOnlySequence<byte>(body)));
        Assert.Throws<BitswapProtocolException>(() => BitswapMessageCodec.Decode(new ReadOnlySequence<byte>(body)));
    }

    [Fact]
    public void GroupsNestedBeyondTheLimit_Refused()
    {
        byte[] body = [.. Enumerable.Repeat((byte)0x4b, 200), .. Enumerable.Repeat((byte)0x4c, 200)];
        Assert.Throws<BitswapProtocolException>(() => BitswapMessageCodec.DecodeWithProtobuf(new ReadOnlySequence<byte>(body)));
        Assert.Throws<BitswapProtocolException>(() => BitswapMessageCodec.Decode(new ReadOnlySequence<byte>(body)));
    }

    [Fact]
    public void UnknownFields_AtEveryLevel_AreSkipped()
    {
        Cid cid = Cid.Compute(Multicodec.Raw, "x"u8);
        byte[] cidBytes = cid.ToArray();
        byte[] unknown = [0x48, 0x07, 0x51, 1, 2, 3, 4, 5, 6, 7, 8, 0x5d, 1, 2, 3, 4, 0x62, 0x01, 0xaa, 0x4b, 0x50, 0x01, 0x4c];
        byte[] entry = [0x0a, (byte)cidBytes.Length, .. cidBytes, .. unknown, 0x10, 0x03, 0x08, 0x05]; // 0x08 0x05: field 1 as a varint, skipped
        byte[] wantlist = [0x0a, (byte)entry.Length, .. entry, .. unknown, 0x10, 0x01];
        byte[] body = [0x0a, (byte)wantlist.Length, .. wantlist, .. unknown, 0x28, 0x07];

        BitswapMessage expected = BitswapMessageCodec.DecodeWithProtobuf(new ReadOnlySequence<byte>(body));
        BitswapMessage actual = BitswapMessageCodec.Decode(new ReadOnlySequence<byte>(body));

        AssertSame(expected, actual);
        Assert.Equal(new WantlistEntry(cid, 3), Assert.Single(actual.Wantlist));
        Assert.True(actual.FullWantlist);
        Assert.Equal(7, actual.PendingBytes);
    }

    [Fact]
    public void RepeatedScalarsAndMessages_LastWinsAndMessagesMerge()
    {
        Cid first = Cid.Compute(Multicodec.Raw, "1"u8);
        Cid second = Cid.Compute(Multicodec.Raw, "2"u8);
        byte[] entry = [0x0a, 0x24, .. first.ToArray(), 0x0a, 0x24, .. second.ToArray(), 0x10, 0x05, 0x10, 0x02];
        byte[] wantlist = [0x0a, (byte)entry.Length, .. entry, 0x10, 0x01];
        byte[] body = [0x0a, (byte)wantlist.Length, .. wantlist, 0x0a, 0x02, 0x10, 0x00, 0x28, 0x09, 0x28, 0x04];

        BitswapMessage expected = BitswapMessageCodec.DecodeWithProtobuf(new ReadOnlySequence<byte>(body));
        BitswapMessage actual = BitswapMessageCodec.Decode(new ReadOnlySequence<byte>(body));

        AssertSame(expected, actual);
        Assert.Equal(new WantlistEntry(second, 2), Assert.Single(actual.Wantlist));
        Assert.False(actual.FullWantlist);
        Assert.Equal(4, actual.PendingBytes);
    }

    [Fact]
    public void BlockBytes_AreCopiedOutOfTheFrame()
    {
        byte[] data = new byte[100_000];
        new Random(64).NextBytes(data);
        var pb = new PbMessage();
        pb.Payload.Add(new PbMessage.Types.Block { Prefix = ByteString.CopyFrom(0x01, 0x55, 0x12, 0x20), Data = ByteString.CopyFrom(data) });
        byte[] body = pb.ToByteArray();

        BitswapMessage message = BitswapMessageCodec.Decode(RandomSegments(body, new Random(65)));
        Array.Clear(body);

        BitswapBlock block = Assert.Single(message.Blocks);
        Assert.Equal(Cid.Compute(Multicodec.Raw, data), block.Cid);
        Assert.Equal(data, block.Data.ToArray());
    }

    [Fact]
    public void BlockThatDoesNotMatchItsPrefixDigest_GetsTheCidOfItsOwnBytes()
    {
        // A prefix carries no digest: the CID is always rebuilt from the bytes, so a tampered block cannot claim a wanted CID.
        Cid wanted = Cid.Compute(Multicodec.Raw, "wanted"u8);
        var pb = new PbMessage();
        pb.Payload.Add(new PbMessage.Types.Block { Prefix = ByteString.CopyFrom(CidPrefix.FromCid(wanted).ToArray()), Data = ByteString.CopyFromUtf8("tampered") });

        BitswapBlock block = Assert.Single(BitswapMessageCodec.Decode(new ReadOnlySequence<byte>(pb.ToByteArray())).Blocks);

        Assert.NotEqual(wanted, block.Cid);
        Assert.Equal(Cid.Compute(Multicodec.Raw, "tampered"u8), block.Cid);
    }

    [Theory]
    [InlineData(BitswapProtocolVersion.V120)]
    [InlineData(BitswapProtocolVersion.V100)]
    public void BlocksUpToTheLimit_Accepted_OneMore_RefusedBeforeAnyIsHashed(BitswapProtocolVersion version)
    {
        // Tiny blocks: the cheapest way to make a peer copy and hash many blocks with one message.
        var blocks = new List<BitswapBlock>();
        for (int i = 0; i <= BitswapMessageCodec.MaxBlocksPerMessage; i++)
        {
            byte[] data = BitConverter.GetBytes(i);
            blocks.Add(new BitswapBlock(
                version == BitswapProtocolVersion.V100 ? Cid.CreateV0(Multihash.Compute(Multicodec.Sha2_256, data)) : Cid.Compute(Multicodec.Raw, data),
                data));
        }

        var atLimit = new BitswapMessage();
        atLimit.Blocks.AddRange(blocks[..BitswapMessageCodec.MaxBlocksPerMessage]);
        BitswapMessage decoded = BitswapMessageCodec.Decode(new ReadOnlySequence<byte>(Body(atLimit, version)));
        Assert.Equal(atLimit.Blocks.Select(b => b.Cid), decoded.Blocks.Select(b => b.Cid));

        var overLimit = new BitswapMessage();
        overLimit.Blocks.AddRange(blocks);
        byte[] body = Body(overLimit, version);
        var ex = Assert.Throws<BitswapProtocolException>(() => BitswapMessageCodec.Decode(new ReadOnlySequence<byte>(body)));
        Assert.Contains($"more than {BitswapMessageCodec.MaxBlocksPerMessage} blocks", ex.Message, StringComparison.Ordinal);

        // The limit is on the count, whatever the blocks are: one whose hash function we lack counts as well.
        var unsupported = new PbMessage();
        for (int i = 0; i <= BitswapMessageCodec.MaxBlocksPerMessage; i++)
        {
            unsupported.Payload.Add(new PbMessage.Types.Block { Prefix = ByteString.CopyFrom(0x01, 0x55, 0xf7, 0xee, 0x01, 0x20), Data = ByteString.CopyFrom(0x01) });
        }

        Assert.Throws<BitswapProtocolException>(() => BitswapMessageCodec.Decode(new ReadOnlySequence<byte>(unsupported.ToByteArray())));
    }

    private static byte[] Body(BitswapMessage message, BitswapProtocolVersion version)
    {
        var writer = new ArrayBufferWriter<byte>();
        BitswapMessageCodec.Write(message, version, writer);
        var frame = new ReadOnlySequence<byte>(writer.WrittenMemory);
        Assert.True(BitswapMessageCodec.TryReadFrame(ref frame, BitswapMessageCodec.MaxMessageSize, out ReadOnlySequence<byte> body));
        return body.ToArray();
    }

    /// <summary>Either both parsers refuse, or both give the same message.</summary>
    private static void AssertEquivalent(byte[] body, Random random)
    {
        BitswapMessage? expected = null;
        try
        {
            expected = BitswapMessageCodec.DecodeWithProtobuf(new ReadOnlySequence<byte>(body));
        }
        catch (BitswapProtocolException)
        {
        }

        if (expected is null)
        {
            Assert.Throws<BitswapProtocolException>(() => BitswapMessageCodec.Decode(RandomSegments(body, random)));
        }
        else
        {
            AssertSame(expected, BitswapMessageCodec.Decode(RandomSegments(body, random)));
        }
    }

    private static void AssertSame(BitswapMessage expected, BitswapMessage actual)
    {
        Assert.Equal(expected.Wantlist, actual.Wantlist);
        Assert.Equal(expected.FullWantlist, actual.FullWantlist);
        Assert.Equal(expected.BlockPresences, actual.BlockPresences);
        Assert.Equal(expected.PendingBytes, actual.PendingBytes);
        Assert.Equal(expected.UnsupportedBlocks, actual.UnsupportedBlocks);
        Assert.Equal(expected.Blocks.Count, actual.Blocks.Count);
        for (int i = 0; i < expected.Blocks.Count; i++)
        {
            Assert.Equal(expected.Blocks[i].Cid, actual.Blocks[i].Cid);
            Assert.True(expected.Blocks[i].Data.Span.SequenceEqual(actual.Blocks[i].Data.Span));
        }
    }

    private static ReadOnlySequence<byte> RandomSegments(byte[] body, Random random)
    {
        var segments = new List<byte[]>();
        int offset = 0;
        while (offset < body.Length)
        {
            int length = Math.Min(body.Length - offset, random.Next(3) == 0 ? random.Next(1, 8) : random.Next(1, 4096));
            segments.Add(body.AsSpan(offset, length).ToArray());
            offset += length;
        }

        return TestSequences.Split([.. segments]);
    }

    /// <summary>A message of every kind of field, written by the generated code, with unknown fields appended at times.</summary>
    private static byte[] RandomBody(Random random)
    {
        (Multicodec Hash, int DigestLength)[] hashes =
        [
            (Multicodec.Sha2_256, 32), (Multicodec.Sha2_256, 20), (Multicodec.Sha2_512, 64), (Multicodec.Sha3_256, 32),
            (Multicodec.Blake3, 32), ((Multicodec)0x7777, 32),
        ];
        var pb = new PbMessage();
        if (random.Next(3) > 0)
        {
            pb.Wantlist = new PbMessage.Types.Wantlist { Full = random.Next(2) == 0 };
            for (int i = random.Next(6); i > 0; i--)
            {
                pb.Wantlist.Entries.Add(new PbMessage.Types.Wantlist.Types.Entry
                {
                    Block = ByteString.CopyFrom(RandomCid(random).ToArray()),
                    Priority = random.Next(3) == 0 ? -random.Next() : random.Next(),
                    Cancel = random.Next(2) == 0,
                    WantType = (PbMessage.Types.Wantlist.Types.WantType)random.Next(2),
                    SendDontHave = random.Next(2) == 0,
                });
            }
        }

        for (int i = random.Next(3); i > 0; i--)
        {
            pb.Blocks.Add(ByteString.CopyFrom(RandomBytes(random)));
        }

        for (int i = random.Next(4); i > 0; i--)
        {
            byte[] data = RandomBytes(random);
            bool identity = random.Next(8) == 0;
            if (identity)
            {
                data = data[..Math.Min(data.Length, 32)];
            }

            (Multicodec hash, int digestLength) = identity ? (Multicodec.Identity, data.Length) : hashes[random.Next(hashes.Length)];
            var prefix = new CidPrefix(1, (ulong)(random.Next(2) == 0 ? Multicodec.Raw : Multicodec.DagCbor), (ulong)hash, digestLength);
            pb.Payload.Add(new PbMessage.Types.Block { Prefix = ByteString.CopyFrom(prefix.ToArray()), Data = ByteString.CopyFrom(data) });
        }

        for (int i = random.Next(4); i > 0; i--)
        {
            pb.BlockPresences.Add(new PbMessage.Types.BlockPresence
            {
                Cid = ByteString.CopyFrom(RandomCid(random).ToArray()),
                Type = (PbMessage.Types.BlockPresenceType)random.Next(2),
            });
        }

        pb.PendingBytes = random.Next(2) == 0 ? 0 : random.Next();
        byte[] body = pb.ToByteArray();
        return random.Next(4) == 0 ? [.. body, 0x50, 0x96, 0x01, 0x5a, 0x02, 0x01, 0x02, 0x65, 1, 2, 3, 4] : body;
    }

    private static Cid RandomCid(Random random)
    {
        byte[] bytes = new byte[8];
        random.NextBytes(bytes);
        return random.Next(2) == 0 ? Cid.Compute(Multicodec.Raw, bytes) : Cid.CreateV0(Multihash.Compute(Multicodec.Sha2_256, bytes));
    }

    private static byte[] RandomBytes(Random random)
    {
        byte[] bytes = new byte[random.Next(4) == 0 ? random.Next(10_000) : random.Next(40)];
        random.NextBytes(bytes);
        return bytes;
    }
}
