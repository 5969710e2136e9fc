using System.Buffers;
using CsCheck;

namespace Helia.Multiformats.Tests;

public class VarintTests
{
    // Examples from multiformats/unsigned-varint/README.md.
    [Theory]
    [InlineData(1UL, "01")]
    [InlineData(127UL, "7f")]
    [InlineData(128UL, "8001")]
    [InlineData(255UL, "ff01")]
    [InlineData(300UL, "ac02")]
    [InlineData(16384UL, "808001")]
    [InlineData(0x7FFF_FFFF_FFFF_FFFFUL, "ffffffffffffffff7f")]
    public void Write_SpecExamples_MatchesBytes(ulong value, string hex)
    {
        Span<byte> buffer = stackalloc byte[Varint.MaxLength];
        int written = Varint.Write(value, buffer);
        Assert.Equal(hex, Convert.ToHexStringLower(buffer[..written]));
        Assert.Equal(value, Varint.Read(Convert.FromHexString(hex), out int read));
        Assert.Equal(written, read);
    }

    [Theory]
    [InlineData("8000")]                 // 0 encoded in two bytes
    [InlineData("ff00")]                 // trailing zero byte
    [InlineData("80808080808080808001")] // ten bytes
    [InlineData("ffffffffffffffffff01")]
    public void Read_NonMinimalOrOverlong_Throws(string hex)
    {
        Assert.Throws<VarintException>(() => Varint.Read(Convert.FromHexString(hex), out _));
    }

    [Theory]
    [InlineData("")]
    [InlineData("80")]
    [InlineData("ffff")]
    public void TryRead_Truncated_NeedsMoreData(string hex)
    {
        Assert.Equal(OperationStatus.NeedMoreData, Varint.TryRead(Convert.FromHexString(hex), out _, out _));
        Assert.Throws<VarintException>(() => Varint.Read(Convert.FromHexString(hex), out _));
    }

    [Fact]
    public void Write_ValueOver63Bits_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Varint.GetLength(ulong.MaxValue));
    }

    [Fact]
    public void TryRead_SequenceSplitAcrossSegments_ReadsAndAdvances()
    {
        // 300 = ac 02, split over two segments, followed by one more byte.
        ReadOnlySequence<byte> buffer = TestSequences.Split([0xac], [0x02, 0x05]);
        Assert.True(Varint.TryRead(ref buffer, out ulong value));
        Assert.Equal(300UL, value);
        Assert.Equal(1, buffer.Length);
    }

    [Fact]
    public void TryRead_SequenceTruncated_ReturnsFalseAndKeepsBuffer()
    {
        ReadOnlySequence<byte> buffer = TestSequences.Split([0xac], [0x80]);
        Assert.False(Varint.TryRead(ref buffer, out _));
        Assert.Equal(2, buffer.Length);
    }

    [Fact]
    public async Task ReadAsync_Stream_ReadsSequentialValuesThenNull()
    {
        using var stream = new MemoryStream([0xac, 0x02, 0x01]);
        Assert.Equal(300UL, await Varint.ReadAsync(stream, TestContext.Current.CancellationToken));
        Assert.Equal(1UL, await Varint.ReadAsync(stream, TestContext.Current.CancellationToken));
        Assert.Null(await Varint.ReadAsync(stream, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task ReadAsync_StreamEndsInside_Throws()
    {
        using var stream = new MemoryStream([0xac]);
        await Assert.ThrowsAsync<VarintException>(async () => await Varint.ReadAsync(stream, TestContext.Current.CancellationToken));
    }

    [Fact]
    public void RoundTrip_AnyValue_ReadsBackWithSameLength()
    {
        Gen.ULong[0, Varint.MaxValue].Sample(value =>
        {
            Span<byte> buffer = stackalloc byte[Varint.MaxLength];
            int written = Varint.Write(value, buffer);
            return written == Varint.GetLength(value)
                && Varint.Read(buffer[..written], out int read) == value
                && read == written;
        });
    }
}
