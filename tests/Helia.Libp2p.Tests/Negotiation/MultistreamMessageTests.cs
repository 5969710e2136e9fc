using System.Buffers;
using Helia.Libp2p.Negotiation;
using Helia.Multiformats.Tests;

namespace Helia.Libp2p.Tests.Negotiation;

public class MultistreamMessageTests
{
    [Fact]
    public void Write_Header_MatchesSpecBytes()
    {
        var writer = new ArrayBufferWriter<byte>();

        MultistreamMessage.Write(writer, "/multistream/1.0.0");
        MultistreamMessage.Write(writer, "ls");

        Assert.Equal("132f6d756c746973747265616d2f312e302e300a036c730a", Convert.ToHexStringLower(writer.WrittenSpan));
    }

    [Fact]
    public void TryRead_TwoMessages_ReadsBothAndAdvances()
    {
        var buffer = new ReadOnlySequence<byte>(Convert.FromHexString("036c730a036e610a"));

        Assert.True(MultistreamMessage.TryRead(ref buffer, out string first));
        Assert.True(MultistreamMessage.TryRead(ref buffer, out string second));

        Assert.Equal("ls", first);
        Assert.Equal("na", second);
        Assert.True(buffer.IsEmpty);
    }

    [Fact]
    public void TryRead_SplitAcrossSegments_Reads()
    {
        byte[] bytes = Convert.FromHexString("132f6d756c746973747265616d2f312e302e300a");
        ReadOnlySequence<byte> buffer = TestSequences.Split(bytes[..1], bytes[1..5], bytes[5..12], bytes[12..]);

        Assert.True(MultistreamMessage.TryRead(ref buffer, out string message));
        Assert.Equal(MultistreamMessage.Header, message);
    }

    [Fact]
    public void TryRead_EveryTruncation_ReturnsFalseAndLeavesBuffer()
    {
        byte[] bytes = Convert.FromHexString("132f6d756c746973747265616d2f312e302e300a");
        for (int length = 0; length < bytes.Length; length++)
        {
            var buffer = new ReadOnlySequence<byte>(bytes, 0, length);

            Assert.False(MultistreamMessage.TryRead(ref buffer, out _));
            Assert.Equal(length, buffer.Length);
        }
    }

    [Fact]
    public void TryRead_OverLongLengthPrefix_ThrowsBeforeTheBodyArrives()
    {
        // Length 1025 announced, no body yet: rejected at once rather than waiting to buffer it.
        var buffer = new ReadOnlySequence<byte>([0x81, 0x08]);

        Assert.Throws<MultistreamException>(() => MultistreamMessage.TryRead(ref buffer, out _));
    }

    [Theory]
    [InlineData("00")]
    [InlineData("036c7378")]
    [InlineData("03ff fe0a")]
    [InlineData("ffffffffffffffffffff01")]
    public void TryRead_Malformed_ThrowsMultistreamException(string hex)
    {
        var buffer = new ReadOnlySequence<byte>(Convert.FromHexString(hex.Replace(" ", "", StringComparison.Ordinal)));

        Assert.Throws<MultistreamException>(() => MultistreamMessage.TryRead(ref buffer, out _));
    }

    [Fact]
    public void WriteList_TwoProtocols_NestsMessagesAndEndsWithNewline()
    {
        var writer = new ArrayBufferWriter<byte>();

        MultistreamMessage.WriteList(writer, ["/a", "/bc"]);

        // 03 "/a\n", 04 "/bc\n", "\n": 1+3+1+4+1 = 10 bytes, prefixed by the varint 10.
        Assert.Equal("0a032f610a042f62630a0a", Convert.ToHexStringLower(writer.WrittenSpan));
    }

    [Fact]
    public void Write_TooLong_ThrowsArgumentException()
    {
        Assert.Throws<ArgumentException>(() => MultistreamMessage.Write(new ArrayBufferWriter<byte>(), new string('a', MultistreamMessage.MaxMessageLength)));
    }
}
