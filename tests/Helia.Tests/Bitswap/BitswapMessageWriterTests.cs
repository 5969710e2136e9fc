using System.Buffers;
using System.IO.Pipelines;
using System.Runtime.InteropServices;
using Google.Protobuf;
using Helia.Bitswap.Messages;
using Helia.Multiformats;
using PbMessage = Helia.Bitswap.Protos.Message;

namespace Helia.Tests.Bitswap;

/// <summary>
/// The hand-written encoder against the protobuf-generated code (<see cref="BitswapMessageCodec.ToProto"/> is the
/// reference): on random messages of every version, the same bytes, a body the generated parser reads back as the same
/// message, the size added up right, and large blocks handed to the output as their own memory.
/// </summary>
public class BitswapMessageWriterTests
{
    private static readonly BitswapProtocolVersion[] s_versions = [BitswapProtocolVersion.V100, BitswapProtocolVersion.V110, BitswapProtocolVersion.V120];

    [Fact]
    public async Task RandomMessages_EveryVersion_WriteTheGeneratedCodesBytes()
    {
        var random = new Random(71);
        for (int i = 0; i < 150; i++)
        {
            BitswapMessage message = RandomMessage(random);
            foreach (BitswapProtocolVersion version in s_versions)
            {
                PbMessage reference = BitswapMessageCodec.ToProto(message, version);
                byte[] body = reference.ToByteArray();
                byte[] frame = [.. Prefix(body.Length), .. body];

                // The synchronous form, into any buffer writer.
                var buffer = new ArrayBufferWriter<byte>();
                BitswapMessageCodec.Write(message, version, buffer);
                AssertBytes(frame, buffer.WrittenSpan.ToArray());
                Assert.Equal(body.Length, BitswapMessageCodec.GetSize(message, version));

                // The stream form: the same bytes, and the generated parser reads the body back as the same message.
                var output = new RecordingWriter();
                using var writer = new BitswapMessageWriter();
                writer.Add(message, version);
                await writer.WriteToAsync(output, TestContext.Current.CancellationToken);
                AssertBytes(frame, output.Bytes);
                Assert.True(writer.IsEmpty);
                Assert.Equal(reference, PbMessage.Parser.ParseFrom(frame.AsSpan(Prefix(body.Length).Length)));
                AssertLargeBlocksUncopied(message, output);
            }
        }
    }

    [Fact]
    public async Task EdgeCases_EveryVersion_WriteTheGeneratedCodesBytes()
    {
        byte[] small = [1, 2, 3];
        Cid cid = Cid.Compute(Multicodec.Raw, small);
        byte[] exact = RandomBytes(new Random(74), BitswapMessageWriter.DirectBlockSize);
        BitswapMessage[] messages =
        [
            new BitswapMessage(),                                   // nothing: the zero length prefix alone
            new BitswapMessage { FullWantlist = true },             // a wantlist holding only the flag
            new BitswapMessage { PendingBytes = -1 },               // negative int32s take 10 bytes
            new BitswapMessage { PendingBytes = int.MinValue },
            new BitswapMessage { PendingBytes = int.MaxValue },
            new BitswapMessage
            {
                Wantlist =
                {
                    new WantlistEntry(cid, int.MinValue, Cancel: true, WantType.Have, SendDontHave: true),
                    new WantlistEntry(cid, -1),
                    new WantlistEntry(cid, 0, WantType: WantType.Have),
                },
            },
            new BitswapMessage
            {
                // Empty blocks: 1.0.0 writes each as an empty element, 1.1.0+ a payload of the prefix alone.
                Blocks = { new BitswapBlock(Cid.Compute(Multicodec.Raw, []), ReadOnlyMemory<byte>.Empty), new BitswapBlock(cid, small) },
                BlockPresences = { new BlockPresence(cid, BlockPresenceType.DontHave), new BlockPresence(cid, BlockPresenceType.Have) },
            },
            new BitswapMessage { Blocks = { new BitswapBlock(Cid.Compute(Multicodec.Raw, exact), exact) } },
        ];

        foreach (BitswapMessage message in messages)
        {
            foreach (BitswapProtocolVersion version in s_versions)
            {
                byte[] body = BitswapMessageCodec.ToProto(message, version).ToByteArray();
                var output = new RecordingWriter();
                using var writer = new BitswapMessageWriter();
                writer.Add(message, version);
                await writer.WriteToAsync(output, TestContext.Current.CancellationToken);

                AssertBytes([.. Prefix(body.Length), .. body], output.Bytes);
                Assert.Equal(body.Length, BitswapMessageCodec.GetSize(message, version));
                AssertLargeBlocksUncopied(message, output);
            }
        }

        Assert.Equal(new byte[] { 0x00 }, Encode(messages[0], BitswapProtocolVersion.V120));
        Assert.Equal(new byte[] { 0x04, 0x0a, 0x02, 0x10, 0x01 }, Encode(messages[1], BitswapProtocolVersion.V100));
        Assert.Equal(new byte[] { 0x0b, 0x28, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01 }, Encode(messages[2], BitswapProtocolVersion.V120));
    }

    [Fact]
    public void MessageOfExactlyTheLimit_Accepted_OneByteMoreRefused()
    {
        // 1.0.0 block: tag, 4-byte length, data.
        byte[] data = new byte[BitswapMessageCodec.MaxMessageSize - 4];
        var message = new BitswapMessage { Blocks = { new BitswapBlock(Cid.Compute(Multicodec.Raw, []), data.AsMemory(1)) } };
        using var writer = new BitswapMessageWriter();

        writer.Add(message, BitswapProtocolVersion.V100);
        Assert.Equal(BitswapMessageCodec.MaxMessageSize, BitswapMessageCodec.GetSize(message, BitswapProtocolVersion.V100));

        message.Blocks[0] = message.Blocks[0] with { Data = data };
        Assert.Throws<ArgumentException>(() => writer.Add(message, BitswapProtocolVersion.V100));
    }

    [Fact]
    public async Task NothingAdded_OnlyFlushes()
    {
        var output = new RecordingWriter();
        using var writer = new BitswapMessageWriter();

        await writer.WriteToAsync(output, TestContext.Current.CancellationToken);

        Assert.Empty(output.Writes);
        Assert.Equal(1, output.Flushes);
    }

    [Fact]
    public async Task FailingOutput_ForgetsWhatWasAdded_NextWriteHasOnlyTheNewMessage()
    {
        var message = new BitswapMessage();
        for (int i = 0; i < 3; i++)
        {
            byte[] data = new byte[BitswapMessageWriter.DirectBlockSize + i];
            message.Blocks.Add(new BitswapBlock(Cid.Compute(Multicodec.Raw, data), data));
        }

        using var writer = new BitswapMessageWriter();
        writer.Add(message, BitswapProtocolVersion.V120);
        var failing = new RecordingWriter { FailAfter = 2 };
        await Assert.ThrowsAsync<IOException>(async () => await writer.WriteToAsync(failing, TestContext.Current.CancellationToken));
        Assert.True(writer.IsEmpty);

        var output = new RecordingWriter();
        writer.Add(new BitswapMessage { PendingBytes = 5 }, BitswapProtocolVersion.V120);
        await writer.WriteToAsync(output, TestContext.Current.CancellationToken);
        Assert.Equal(new byte[] { 0x02, 0x28, 0x05 }, output.Bytes);
    }

    [Fact]
    public async Task SeveralMessages_WrittenInOrder_SmallOnesInOneWrite()
    {
        var random = new Random(72);
        var output = new RecordingWriter();
        using var writer = new BitswapMessageWriter();
        var expected = new List<byte>();
        var messages = new List<BitswapMessage>();
        for (int i = 0; i < 5; i++)
        {
            BitswapMessage message = RandomMessage(random);
            messages.Add(message);
            writer.Add(message, BitswapProtocolVersion.V120);
            byte[] body = BitswapMessageCodec.ToProto(message, BitswapProtocolVersion.V120).ToByteArray();
            expected.AddRange([.. Prefix(body.Length), .. body]);
        }

        await writer.WriteToAsync(output, TestContext.Current.CancellationToken);

        AssertBytes([.. expected], output.Bytes);
        int large = messages.Sum(m => m.Blocks.Count(b => b.Data.Length >= BitswapMessageWriter.DirectBlockSize));
        Assert.InRange(output.Writes.Count, large, (2 * large) + 1);   // small fields between large blocks coalesce
        foreach (BitswapMessage message in messages)
        {
            AssertLargeBlocksUncopied(message, output);
        }
    }

    [Fact]
    public async Task Reset_DropsWhatWasAdded()
    {
        using var writer = new BitswapMessageWriter();
        writer.Add(RandomMessage(new Random(73)), BitswapProtocolVersion.V120);
        writer.Reset();
        Assert.True(writer.IsEmpty);

        var output = new RecordingWriter();
        var message = new BitswapMessage { PendingBytes = 5 };
        writer.Add(message, BitswapProtocolVersion.V120);
        await writer.WriteToAsync(output, TestContext.Current.CancellationToken);
        Assert.Equal(new byte[] { 0x02, 0x28, 0x05 }, output.Bytes);
    }

    [Fact]
    public void OversizedMessage_Refused()
    {
        byte[] data = new byte[BitswapMessageCodec.MaxMessageSize];
        var message = new BitswapMessage();
        message.Blocks.Add(new BitswapBlock(Cid.Compute(Multicodec.Raw, data), data));
        using var writer = new BitswapMessageWriter();

        Assert.Throws<ArgumentException>(() => writer.Add(message, BitswapProtocolVersion.V120));
    }

    [Fact]
    public async Task ClosedOutput_StopsAtTheFirstCompletedWrite()
    {
        var output = new RecordingWriter { Completed = true };
        using var writer = new BitswapMessageWriter();
        var message = new BitswapMessage();
        for (int i = 0; i < 3; i++)
        {
            byte[] data = new byte[BitswapMessageWriter.DirectBlockSize + i];
            message.Blocks.Add(new BitswapBlock(Cid.Compute(Multicodec.Raw, data), data));
        }

        writer.Add(message, BitswapProtocolVersion.V120);
        FlushResult result = await writer.WriteToAsync(output, TestContext.Current.CancellationToken);

        Assert.True(result.IsCompleted);
        Assert.Single(output.Writes);
        Assert.True(writer.IsEmpty);
    }

    /// <summary>Every block of at least <see cref="BitswapMessageWriter.DirectBlockSize"/> bytes reached the output as its own memory.</summary>
    private static void AssertLargeBlocksUncopied(BitswapMessage message, RecordingWriter output)
    {
        foreach (BitswapBlock block in message.Blocks)
        {
            if (block.Data.Length < BitswapMessageWriter.DirectBlockSize)
            {
                continue;
            }

            Assert.True(MemoryMarshal.TryGetArray(block.Data, out ArraySegment<byte> own));
            Assert.Contains(output.Writes, write => MemoryMarshal.TryGetArray(write, out ArraySegment<byte> written)
                && ReferenceEquals(written.Array, own.Array) && written.Offset == own.Offset && written.Count == own.Count);
        }
    }

    /// <summary>Byte arrays of megabytes: compared as spans, the first difference reported.</summary>
    private static void AssertBytes(byte[] expected, byte[] actual)
    {
        int common = expected.AsSpan().CommonPrefixLength(actual);
        Assert.True(common == expected.Length && common == actual.Length, $"{actual.Length} bytes instead of {expected.Length}, differing from byte {common}.");
    }

    private static byte[] Encode(BitswapMessage message, BitswapProtocolVersion version)
    {
        var buffer = new ArrayBufferWriter<byte>();
        BitswapMessageCodec.Write(message, version, buffer);
        return buffer.WrittenSpan.ToArray();
    }

    private static byte[] Prefix(int length)
    {
        byte[] prefix = new byte[Varint.GetLength((ulong)length)];
        Varint.Write((ulong)length, prefix);
        return prefix;
    }

    /// <summary>Wants, cancels, presences, pendingBytes and blocks of several sizes and CID kinds, each part present at random.</summary>
    private static BitswapMessage RandomMessage(Random random)
    {
        var message = new BitswapMessage { FullWantlist = random.Next(4) == 0 };
        for (int i = random.Next(3) == 0 ? 0 : random.Next(1, 8); i > 0; i--)
        {
            int priority = random.Next(4) switch
            {
                0 => 0,
                1 => -random.Next(1, int.MaxValue),
                2 => int.MaxValue,
                _ => random.Next(1, 200),
            };
            message.Wantlist.Add(new WantlistEntry(RandomCid(random, RandomBytes(random, 16)), priority, random.Next(3) == 0, (WantType)random.Next(2), random.Next(2) == 0));
        }

        int[] sizes = [0, 1, 100, 1024, BitswapMessageWriter.DirectBlockSize - 1, BitswapMessageWriter.DirectBlockSize, 100_000, 1024 * 1024];
        for (int i = random.Next(4); i > 0; i--)
        {
            // A slice of a larger array at times: the writer must hand over exactly the block's bytes.
            int size = sizes[random.Next(sizes.Length)];
            int offset = random.Next(2) == 0 ? 0 : random.Next(1, 100);
            byte[] array = RandomBytes(random, size + offset + (offset > 0 ? 7 : 0));
            ReadOnlyMemory<byte> data = array.AsMemory(offset, size);
            message.Blocks.Add(new BitswapBlock(RandomCid(random, data.Span), data));
        }

        for (int i = random.Next(4); i > 0; i--)
        {
            message.BlockPresences.Add(new BlockPresence(RandomCid(random, RandomBytes(random, 8)), (BlockPresenceType)random.Next(2)));
        }

        message.PendingBytes = random.Next(3) switch
        {
            0 => 0,
            1 => random.Next(1, 128),
            _ => random.Next(),
        };
        return message;
    }

    private static Cid RandomCid(Random random, ReadOnlySpan<byte> data) => random.Next(5) switch
    {
        0 => Cid.CreateV0(Multihash.Compute(Multicodec.Sha2_256, data)),
        1 => Cid.Compute(Multicodec.Raw, data),
        2 => Cid.Compute(Multicodec.DagCbor, data, Multicodec.Sha2_512),
        3 => Cid.Compute(Multicodec.DagPb, data, Multicodec.Blake3),
        _ => Cid.Compute(Multicodec.Raw, data, Multicodec.Sha3_256),
    };

    private static byte[] RandomBytes(Random random, int length)
    {
        byte[] bytes = new byte[length];
        random.NextBytes(bytes);
        return bytes;
    }

    /// <summary>An output that records each WriteAsync's memory and refuses to be written through a buffer of its own.</summary>
    private sealed class RecordingWriter : PipeWriter
    {
        private readonly ArrayBufferWriter<byte> _bytes = new();

        public List<ReadOnlyMemory<byte>> Writes { get; } = [];

        public byte[] Bytes => _bytes.WrittenSpan.ToArray();

        public bool Completed { get; init; }

        /// <summary>The write after this many fails as a reset stream's would.</summary>
        public int FailAfter { get; init; } = int.MaxValue;

        public int Flushes { get; private set; }

        public override ValueTask<FlushResult> WriteAsync(ReadOnlyMemory<byte> source, CancellationToken cancellationToken = default)
        {
            if (Writes.Count == FailAfter)
            {
                throw new IOException("The stream was reset.");
            }

            Writes.Add(source);
            _bytes.Write(source.Span);
            return new ValueTask<FlushResult>(new FlushResult(isCanceled: false, isCompleted: Completed));
        }

        public override ValueTask<FlushResult> FlushAsync(CancellationToken cancellationToken = default)
        {
            Flushes++;
            return new(new FlushResult(isCanceled: false, isCompleted: Completed));
        }

        public override void Advance(int bytes) => throw new InvalidOperationException("Written through the output's own buffer.");

        public override Memory<byte> GetMemory(int sizeHint = 0) => throw new InvalidOperationException("Written through the output's own buffer.");

        public override Span<byte> GetSpan(int sizeHint = 0) => throw new InvalidOperationException("Written through the output's own buffer.");

        public override void CancelPendingFlush()
        {
        }

        public override void Complete(Exception? exception = null)
        {
        }
    }
}
