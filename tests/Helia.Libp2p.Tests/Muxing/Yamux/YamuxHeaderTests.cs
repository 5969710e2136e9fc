using System.Buffers;
using Helia.Libp2p.Muxing.Yamux;
using Helia.Multiformats.Tests;

namespace Helia.Libp2p.Tests.Muxing.Yamux;

public class YamuxHeaderTests
{
    public static TheoryData<byte[], byte, ushort, uint, uint> Vectors => new()
    {
        // Data on stream 1 with SYN, 5 bytes.
        { [0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x05], (byte)YamuxFrameType.Data, (ushort)YamuxFlags.Syn, 1u, 5u },
        // Window update on stream 2 with ACK, delta 256 KiB.
        { [0x00, 0x01, 0x00, 0x02, 0x00, 0x00, 0x00, 0x02, 0x00, 0x04, 0x00, 0x00], (byte)YamuxFrameType.WindowUpdate, (ushort)YamuxFlags.Ack, 2u, 262144u },
        // FIN | RST on a large stream id.
        { [0x00, 0x01, 0x00, 0x0C, 0xFF, 0xFF, 0xFF, 0xFE, 0x00, 0x00, 0x00, 0x00], (byte)YamuxFrameType.WindowUpdate, (ushort)(YamuxFlags.Fin | YamuxFlags.Rst), 0xFFFFFFFEu, 0u },
        // Ping SYN with opaque value 0xDEADBEEF.
        { [0x00, 0x02, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0xDE, 0xAD, 0xBE, 0xEF], (byte)YamuxFrameType.Ping, (ushort)YamuxFlags.Syn, 0u, 0xDEADBEEFu },
        // GoAway with protocol error.
        { [0x00, 0x03, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01], (byte)YamuxFrameType.GoAway, (ushort)YamuxFlags.None, 0u, 1u },
    };

    [Theory]
    [MemberData(nameof(Vectors))]
    public void TryRead_SpecVector_DecodesBigEndianFields(byte[] bytes, byte type, ushort flags, uint streamId, uint length)
    {
        var buffer = new ReadOnlySequence<byte>(bytes);

        Assert.True(YamuxHeader.TryRead(ref buffer, out YamuxHeader header));

        Assert.Equal(new YamuxHeader((YamuxFrameType)type, (YamuxFlags)flags, streamId, length), header);
        Assert.True(buffer.IsEmpty);
    }

    [Theory]
    [MemberData(nameof(Vectors))]
    public void WriteTo_SpecVector_EncodesBigEndianFields(byte[] bytes, byte type, ushort flags, uint streamId, uint length)
    {
        var writer = new ArrayBufferWriter<byte>();

        new YamuxHeader((YamuxFrameType)type, (YamuxFlags)flags, streamId, length).WriteTo(writer);

        Assert.Equal(bytes, writer.WrittenSpan.ToArray());
    }

    [Fact]
    public void TryRead_SplitAcrossSegments_DecodesAndLeavesPayload()
    {
        ReadOnlySequence<byte> buffer = TestSequences.Split(
            [0x00, 0x00, 0x00],
            [0x00, 0x00, 0x00, 0x00, 0x03, 0x00],
            [0x00, 0x00, 0x02, 0xAA, 0xBB]);

        Assert.True(YamuxHeader.TryRead(ref buffer, out YamuxHeader header));

        Assert.Equal(new YamuxHeader(YamuxFrameType.Data, YamuxFlags.None, 3u, 2u), header);
        Assert.Equal([0xAA, 0xBB], buffer.ToArray());
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(11)]
    public void TryRead_Truncated_ReturnsFalseAndKeepsBuffer(int length)
    {
        var buffer = new ReadOnlySequence<byte>(new byte[length]);

        Assert.False(YamuxHeader.TryRead(ref buffer, out _));

        Assert.Equal(length, buffer.Length);
    }

    [Theory]
    [InlineData(4)]
    [InlineData(0xFF)]
    public void TryRead_UnknownType_ThrowsProtocolError(byte type)
    {
        var buffer = new ReadOnlySequence<byte>([0x00, type, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00]);

        YamuxException ex = Assert.Throws<YamuxException>(() => YamuxHeader.TryRead(ref buffer, out _));

        Assert.Equal(YamuxError.ProtocolError, ex.Error);
    }

    [Fact]
    public void TryRead_UnknownVersion_ThrowsProtocolError()
    {
        var buffer = new ReadOnlySequence<byte>([0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00]);

        YamuxException ex = Assert.Throws<YamuxException>(() => YamuxHeader.TryRead(ref buffer, out _));

        Assert.Equal(YamuxError.ProtocolError, ex.Error);
    }

    [Fact]
    public void TryRead_RandomHeaders_RoundTrip()
    {
        var random = new Random(1234);
        Span<byte> bytes = stackalloc byte[YamuxHeader.Size];
        for (int i = 0; i < 1000; i++)
        {
            var header = new YamuxHeader(
                (YamuxFrameType)random.Next(4),
                (YamuxFlags)random.Next(16),
                (uint)random.NextInt64(uint.MaxValue + 1L),
                (uint)random.NextInt64(uint.MaxValue + 1L));
            header.WriteTo(bytes);
            var buffer = new ReadOnlySequence<byte>(bytes.ToArray());

            Assert.True(YamuxHeader.TryRead(ref buffer, out YamuxHeader read));
            Assert.Equal(header, read);
        }
    }
}
