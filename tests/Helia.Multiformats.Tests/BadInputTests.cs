using System.Buffers;
using CsCheck;
using Helia.Multiformats.Hashing;

namespace Helia.Multiformats.Tests;

/// <summary>
/// Every parser given truncated, overlong, unknown, wrong-length and random input answers with a
/// <see cref="MultiformatsException"/> (or a false Try…), never another exception and never a hang.
/// </summary>
public class BadInputTests
{
    private static readonly byte[] s_cidBytes = Cid.Parse("bafkreiffsgtnic7uebaeuaixgph3pmmq2ywglpylzwrswv5so7m23hyuny").ToArray();

    [Theory]
    [InlineData("80", "ends inside")]                          // truncated
    [InlineData("ffffffffffffffffff", "longer than")]          // 9 bytes, all continuing: overlong
    [InlineData("ffffffffffffffffff01", "longer than")]        // 10 bytes
    [InlineData("8000", "minimally")]                          // non-minimal zero
    [InlineData("ff8000", "minimally")]
    public void Varint_Malformed_ThrowsVarintException(string hex, string messagePart)
    {
        VarintException error = Assert.Throws<VarintException>(() => Varint.Read(Convert.FromHexString(hex), out _));
        Assert.Contains(messagePart, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Varint_RandomBytes_ReadsOrThrowsVarintException()
    {
        Gen.Byte.Array[0, 12].Sample(bytes =>
        {
            try
            {
                OperationStatus status = Varint.TryRead(bytes, out ulong value, out int read);
                return status == OperationStatus.NeedMoreData
                    || (read <= Varint.MaxLength && value <= Varint.MaxValue && read == Varint.GetLength(value));
            }
            catch (VarintException)
            {
                return true;
            }
        });
    }

    [Theory]
    [InlineData("", "ends inside")]
    [InlineData("12", "ends inside")]                          // code only
    [InlineData("1220", "ends inside")]                        // no digest
    [InlineData("1220abcdef", "ends inside")]                  // digest too short
    [InlineData("12ff01", "longer than")]                      // digest length 255 > limit
    [InlineData("80", "ends inside")]                          // truncated code varint
    [InlineData("8000", "minimally")]                          // non-minimal code
    public void Multihash_Malformed_ThrowsMultiformatsException(string hex, string messagePart)
    {
        MultiformatsException error = Assert.ThrowsAny<MultiformatsException>(() => Multihash.Parse(Convert.FromHexString(hex)));
        Assert.Contains(messagePart, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Multihash_TrailingBytes_ThrowsMultihashException()
    {
        byte[] bytes = [.. Multihash.Compute(Multicodec.Sha2_256, [1, 2, 3]).ToArray(), 0];
        Assert.Throws<MultihashException>(() => Multihash.Parse(bytes));
    }

    [Fact]
    public void Multihash_UnknownFunction_ParsesButCannotVerify()
    {
        // A multihash with a code no one registered is well formed; checking data against it is the error.
        Multihash unknown = Multihash.Parse(Convert.FromHexString("f0ffff0102abcd"));
        Assert.Equal(2, unknown.Digest.Length);
        Assert.Throws<MultihashException>(() => unknown.Matches([1]));
    }

    [Fact]
    public void Multihash_RandomBytes_ParsesOrThrowsMultiformatsException()
    {
        Gen.Byte.Array[0, 40].Sample(bytes =>
        {
            try
            {
                Multihash hash = Multihash.Parse(bytes);
                return hash.EncodedLength == bytes.Length;
            }
            catch (MultiformatsException)
            {
                return true;
            }
        });
    }

    [Fact]
    public void Cid_EveryTruncation_ThrowsCidFormatException()
    {
        for (int length = 0; length < s_cidBytes.Length; length++)
        {
            Assert.ThrowsAny<MultiformatsException>(() => Cid.FromBytes(s_cidBytes.AsSpan(0, length)));
        }
    }

    [Theory]
    [InlineData("0055")]                                       // version 0 is not written with a version byte
    [InlineData("03551220")]                                   // unknown version
    [InlineData("0155122100")]                                 // digest length says 33, one byte follows
    [InlineData("01551281")]                                   // digest length varint truncated
    [InlineData("0180808080808080808001")]                     // overlong codec varint
    [InlineData("12201234")]                                   // a v0 multihash cut short
    public void Cid_MalformedBytes_ThrowsMultiformatsException(string hex)
    {
        Assert.ThrowsAny<MultiformatsException>(() => Cid.FromBytes(Convert.FromHexString(hex)));
    }

    [Fact]
    public void Cid_TooLongText_ThrowsWithoutDecoding()
    {
        string text = "z" + new string('2', 100_000);
        CidFormatException error = Assert.Throws<CidFormatException>(() => Cid.Parse(text));
        Assert.Contains("long", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Cid_RandomBytes_ReadsOrThrowsMultiformatsException()
    {
        Gen.Byte.Array[0, 50].Sample(bytes =>
        {
            try
            {
                Cid cid = Cid.FromBytes(bytes);
                return cid.Bytes.SequenceEqual(bytes);
            }
            catch (MultiformatsException)
            {
                return true;
            }
        });
    }

    [Fact]
    public void Cid_RandomMutationsOfValidCid_ReadOrThrowMultiformatsException()
    {
        Gen.Select(Gen.Int[0, s_cidBytes.Length - 1], Gen.Byte).Sample((index, value) =>
        {
            byte[] bytes = (byte[])s_cidBytes.Clone();
            bytes[index] = value;
            try
            {
                Cid.FromBytes(bytes);
            }
            catch (MultiformatsException)
            {
            }
        });
    }

    [Fact]
    public void Cid_RandomText_ParsesOrThrowsCidFormatException()
    {
        Gen.String[Gen.Char["bafkreiQmzZfFuUmM0123456789xyz!= "], 0, 70].Sample(text =>
        {
            try
            {
                Cid.Parse(text);
            }
            catch (CidFormatException)
            {
            }
        });
    }

    [Fact]
    public void CidText_RoundTrip_AnyCodecHashAndBase()
    {
        MultihashHasher[] hashers = [.. MultihashHashers.All];
        Gen.Select(Gen.Byte.Array[0, 64], Gen.Int[0, hashers.Length - 1], Gen.Int[0, MulticodecTable.All.Count - 1], Gen.Int[1, Multibase.All.Count - 1])
            .Sample((data, hasherIndex, codecIndex, baseIndex) =>
            {
                Cid cid = Cid.CreateV1(MulticodecTable.All[codecIndex].Code, hashers[hasherIndex].ComputeMultihash(data));
                MultibaseEncoding encoding = Multibase.All[baseIndex];
                string text = cid.ToString(encoding);
                Cid parsed = Cid.Parse(text);
                return parsed == cid && Cid.Parse(cid.ToString()) == cid && parsed.Hash.Matches(data)
                    && Cid.FromBytes(cid.ToArray()) == cid;
            });
    }

    [Fact]
    public void CidV0Text_RoundTrip_AnyData()
    {
        Gen.Byte.Array[0, 200].Sample(data =>
        {
            Cid v0 = Cid.CreateV0(Multihash.Compute(Multicodec.Sha2_256, data));
            string text = v0.ToString();
            return text.StartsWith("Qm", StringComparison.Ordinal) && text.Length == 46
                && Cid.Parse(text) == v0 && Cid.Parse(v0.ToV1().ToString()).ToV0() == v0;
        });
    }
}
