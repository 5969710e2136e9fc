using System.Buffers.Binary;

namespace Helia.Tests.UnixFS;

/// <summary>The input generator's fast path (chains side by side from jumped-ahead states) against one word at a time.</summary>
public class XorShift32Tests
{
    [Theory]
    [InlineData(1u, 3)]
    [InlineData(1u, 32_768)]
    [InlineData(7u, (3 * 32_768) + 4_097)]
    [InlineData(0xDEADBEEFu, 1_048_579)]
    public void Read_AnyReadSizes_SameBytesAsOneWordAtATime(uint seed, int length)
    {
        byte[] expected = new byte[length];
        Span<byte> word = stackalloc byte[4];
        uint x = seed;
        for (int i = 0; i < length; i += 4)
        {
            x ^= x << 13;
            x ^= x >> 17;
            x ^= x << 5;
            BinaryPrimitives.WriteUInt32LittleEndian(word, x);
            word[..Math.Min(4, length - i)].CopyTo(expected.AsSpan(i));
        }

        byte[] whole = XorShift32.Generate(seed, length);
        byte[] pieces = new byte[length];
        using var stream = new XorShift32(seed, length);
        var random = new Random((int)seed);
        int done = 0;
        while (done < length)
        {
            done += stream.Read(pieces.AsSpan(done, Math.Min(length - done, random.Next(1, 70_000))));
        }

        Assert.Equal(expected, whole);
        Assert.Equal(expected, pieces);
        Assert.Equal(0, stream.Read(new byte[10]));
    }
}
