using System.Text;
using CsCheck;

namespace Helia.Multiformats.Tests;

public class MultibaseTests
{
    public static TheoryData<string, string, string> EncodeVectors()
    {
        var data = new TheoryData<string, string, string>();
        foreach (string file in new[] { "basic.csv", "leading_zero.csv", "two_leading_zeros.csv" })
        {
            (string input, List<(string Name, string Encoded)> rows) = SpecVectors.ReadMultibase(file);
            foreach ((string name, string encoded) in rows)
            {
                data.Add(file, name, encoded);
            }
        }

        return data;
    }

    public static TheoryData<string, string> CaseInsensitiveVectors()
    {
        var data = new TheoryData<string, string>();
        foreach ((string name, string encoded) in SpecVectors.ReadMultibase("case_insensitivity.csv").Rows)
        {
            data.Add(name, encoded);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(EncodeVectors))]
    public void EncodeAndDecode_SpecVector_MatchesExactly(string file, string name, string encoded)
    {
        byte[] input = Encoding.Latin1.GetBytes(SpecVectors.ReadMultibase(file).Input);
        Assert.True(Multibase.TryParseName(name, out MultibaseEncoding encoding), name);
        Assert.Equal(name, Multibase.NameOf(encoding));
        Assert.Equal(encoded, Multibase.Encode(encoding, input));
        Assert.Equal(input, Multibase.Decode(encoded, out MultibaseEncoding detected));
        Assert.Equal(encoding, detected);
    }

    [Theory]
    [MemberData(nameof(CaseInsensitiveVectors))]
    public void Decode_MixedCase_DecodesHelloWorld(string name, string encoded)
    {
        Assert.True(Multibase.TryParseName(name, out MultibaseEncoding encoding), name);
        Assert.Equal("hello world"u8.ToArray(), Multibase.Decode(encoded, out MultibaseEncoding detected));
        Assert.Equal(encoding, detected);
    }

    [Fact]
    public void Identity_AnyBytes_RoundTripsWithNulPrefix()
    {
        byte[] bytes = [0, 1, 0x7f, 0x80, 0xff];
        string text = Multibase.Encode(MultibaseEncoding.Identity, bytes);
        Assert.Equal('\0', text[0]);
        Assert.Equal(bytes, Multibase.Decode(text));
    }

    [Fact]
    public void Names_EveryEncoding_HasUniqueNameAndPrefix()
    {
        Assert.Equal(Multibase.All.Count, Multibase.All.Select(Multibase.NameOf).Distinct().Count());
        Assert.Equal(Multibase.All.Count, Multibase.All.Select(Multibase.PrefixOf).Distinct().Count());
        foreach (MultibaseEncoding encoding in Multibase.All)
        {
            Assert.True(Multibase.TryGetEncoding(Multibase.PrefixOf(encoding), out MultibaseEncoding byPrefix));
            Assert.Equal(encoding, byPrefix);
            Assert.True(Multibase.TryParseName(Multibase.PrefixOf(encoding).ToString(), out MultibaseEncoding byPrefixName));
            Assert.Equal(encoding, byPrefixName);
        }
    }

    [Fact]
    public void RoundTrip_AnyBytesAnyEncoding_DecodesToSameBytes()
    {
        Gen.Select(Gen.Byte.Array[0, 80], Gen.Int[0, Multibase.All.Count - 1]).Sample((bytes, index) =>
        {
            MultibaseEncoding encoding = Multibase.All[index];
            string text = Multibase.Encode(encoding, bytes);
            return text.StartsWith(Multibase.PrefixOf(encoding), StringComparison.Ordinal)
                && Multibase.Decode(text, out MultibaseEncoding detected).AsSpan().SequenceEqual(bytes)
                && detected == encoding;
        });
    }

    [Fact]
    public void Base256Emoji_UnpairedSurrogate_Throws()
    {
        // Built at run time: an attribute cannot carry a lone surrogate (its UTF-8 blob turns it into U+FFFD).
        string text = "\U0001F680\U0001F680" + (char)0xD83D;

        MultibaseException error = Assert.Throws<MultibaseException>(() => Multibase.Decode(text));

        Assert.Contains("surrogate", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Base2_NonCanonicalLength_IsLeftPadded_AsTheSpecAllows()
    {
        Assert.Equal([0x1a], Multibase.Decode("0011010"));
        Assert.Equal("000011010", Multibase.Encode(MultibaseEncoding.Base2, [0x1a]));
    }

    [Fact]
    public void Base10_LargestEncodableInput_RoundTripsWithinTheDecodeLimit()
    {
        byte[] bytes = new byte[Multibase.MaxBase10Bytes];
        bytes.AsSpan().Fill(0xFF);

        string text = Multibase.Encode(MultibaseEncoding.Base10, bytes);

        Assert.True(text.Length <= Multibase.MaxBase10Length + 1);
        Assert.Equal(bytes, Multibase.Decode(text));
        Assert.Throws<MultibaseException>(() => Multibase.Encode(MultibaseEncoding.Base10, new byte[Multibase.MaxBase10Bytes + 1]));
    }

    [Fact]
    public void Base10_LeadingZeroBytes_AndTheLengthLimit()
    {
        Assert.Equal([0, 0, 0], Multibase.Decode("9000"));
        Assert.Equal("901", Multibase.Encode(MultibaseEncoding.Base10, [0, 1]));   // a 0 for the zero byte, then 1
        MultibaseException error = Assert.Throws<MultibaseException>(() => Multibase.Decode("9" + new string('1', Multibase.MaxBase10Length + 1)));
        Assert.Contains("limited", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Decode_AnyString_ReturnsOrThrowsMultibaseException()
    {
        // Random text, mostly from the alphabets' characters plus some that are in none: never another exception.
        Gen.String[Gen.Char["bBcCfFkKmMuUvVtTzZhH0123456789abcdefxyzXYZ+/-_=!é\0\uD83D\uDE80\u2604"], 0, 40].Sample(text =>
        {
            try
            {
                Multibase.Decode(text);
            }
            catch (MultibaseException)
            {
            }
        });
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("!abc", "prefix")]
    [InlineData("\U0001F681abc", "prefix")]      // a helicopter, not base256emoji's rocket
    [InlineData("\U0001F680abc", "base256emoji")] // the rocket, then no emoji
    [InlineData("00120", "base2")]
    [InlineData("7128", "base8")]
    [InlineData("912a", "base10")]
    [InlineData("hybnl", "base32z")]               // 'l' is not in z-base-32
    [InlineData("hybn", "")]                       // 3 characters cannot encode whole bytes
    [InlineData("hYBN", "")]                       // z-base-32 is lower case
    [InlineData("f0", "even")]              // odd hex
    [InlineData("f0g", "")]                 // not hex
    [InlineData("bmfrgg=", "")]             // padding in unpadded base32
    [InlineData("bm", "")]                  // 1 base32 character is no whole byte
    [InlineData("bmfr", "")]                // 3 base32 characters neither
    [InlineData("b1234", "'1'")]            // '1' is not base32
    [InlineData("cmfrgg", "groups of 8")]   // padded base32 without its padding
    [InlineData("cmfr=====", "")]           // wrong padding amount (5)
    [InlineData("vw", "'w'")]               // 'w' is past base32hex's alphabet
    [InlineData("z0OIl", "'0'")]            // not base58btc
    [InlineData("mYQ=", "'='")]             // padding in unpadded base64
    [InlineData("mYWJjZ", "whole bytes")]   // 5 base64 characters: the last holds no whole byte
    [InlineData("mYWJj-", "'-'")]           // url character in standard base64
    [InlineData("uYWJj+", "'+'")]           // standard character in base64url
    [InlineData("MYQ", "groups of 4")]      // padded base64 without its padding
    [InlineData("MY===", "groups of 4")]
    [InlineData("k!", "'!'")]
    public void Decode_Malformed_ThrowsMultibaseException(string text, string messagePart)
    {
        MultibaseException error = Assert.Throws<MultibaseException>(() => Multibase.Decode(text));
        Assert.Contains(messagePart, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Decode_IdentityWithCharacterAboveByte_Throws()
    {
        Assert.Throws<MultibaseException>(() => Multibase.Decode("\0a\u0100"));
    }
}
