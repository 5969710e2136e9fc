using System.Text;

namespace Helia.Multiformats.Tests;

public class CidTests
{
    // The seed scenario's block: "Hello World" as a raw block with sha2-256.
    private const string HelloWorldCid = "bafkreiffsgtnic7uebaeuaixgph3pmmq2ywglpylzwrswv5so7m23hyuny";

    // The empty UnixFS file (dag-pb 0a 04 08 02 18 00), as ../shared/specs/README.md computes it.
    private const string EmptyFileV0 = "QmbFMke1KXqnYyBBWxB74N4c5SBnJMVAiMNRcGu6x1AwQH";

    [Fact]
    public void Compute_HelloWorldRaw_MatchesReference()
    {
        Cid cid = Cid.Compute(Multicodec.Raw, Encoding.UTF8.GetBytes("Hello World"));
        Assert.Equal(HelloWorldCid, cid.ToString());
        Assert.Equal(1, cid.Version);
        Assert.Equal(Multicodec.Raw, cid.Codec);
        Assert.Equal(Multicodec.Sha2_256, cid.Hash.Algorithm);
    }

    [Fact]
    public void CreateV0_EmptyFileNode_MatchesReference()
    {
        Multihash hash = Multihash.Compute(Multicodec.Sha2_256, Convert.FromHexString("0a0408021800"));
        Cid cid = Cid.CreateV0(hash);
        Assert.Equal(EmptyFileV0, cid.ToString());
        Assert.Equal(Multicodec.DagPb, cid.Codec);
    }

    [Fact]
    public void Parse_V0_RoundTripsAndConvertsToV1()
    {
        Cid v0 = Cid.Parse(EmptyFileV0);
        Assert.Equal(0, v0.Version);
        Assert.Equal(EmptyFileV0, v0.ToString());

        Cid v1 = v0.ToV1();
        Assert.Equal(1, v1.Version);
        Assert.Equal(Multicodec.DagPb, v1.Codec);
        Assert.Equal(v0.Hash, v1.Hash);
        Assert.NotEqual(v0, v1);
        Assert.StartsWith("bafybei", v1.ToString());
        Assert.Equal(v0, Cid.Parse(v1.ToString()).ToV0());
    }

    [Theory]
    [InlineData(MultibaseEncoding.Base32)]
    [InlineData(MultibaseEncoding.Base32Upper)]
    [InlineData(MultibaseEncoding.Base58Btc)]
    [InlineData(MultibaseEncoding.Base16)]
    [InlineData(MultibaseEncoding.Base36)]
    [InlineData(MultibaseEncoding.Base2)]
    [InlineData(MultibaseEncoding.Base10)]
    [InlineData(MultibaseEncoding.Base32Z)]
    [InlineData(MultibaseEncoding.Base256Emoji)]
    public void Parse_AnyMultibase_GivesSameCid(MultibaseEncoding encoding)
    {
        Cid cid = Cid.Parse(HelloWorldCid);
        string text = cid.ToString(encoding);
        Assert.StartsWith(Multibase.PrefixOf(encoding), text, StringComparison.Ordinal);
        Assert.Equal(cid, Cid.Parse(text));
    }

    [Fact]
    public void Bytes_RoundTripThroughRead()
    {
        Cid cid = Cid.Parse(HelloWorldCid);
        byte[] buffer = [.. cid.ToArray(), 0xff];
        Assert.True(Cid.TryRead(buffer, out Cid read, out int bytesRead));
        Assert.Equal(cid, read);
        Assert.Equal(buffer.Length - 1, bytesRead);
        Assert.Equal(cid.GetHashCode(), read.GetHashCode());
    }

    [Fact]
    public void Dictionary_KeyedByCid_FindsEqualCids()
    {
        var map = new Dictionary<Cid, int> { [Cid.Parse(HelloWorldCid)] = 1 };
        Assert.True(map.ContainsKey(Cid.Parse(HelloWorldCid.ToUpperInvariant())));
    }

    [Fact]
    public void TryRead_EveryTruncation_ReturnsFalse()
    {
        byte[] bytes = Cid.Parse(HelloWorldCid).ToArray();
        for (int length = 0; length < bytes.Length; length++)
        {
            Assert.False(Cid.TryRead(bytes.AsSpan(0, length), out _, out _));
        }
    }

    [Theory]
    [InlineData("")]
    [InlineData("bafk")]                                              // truncated
    [InlineData("Qm")]                                                // not 46 characters
    [InlineData("QmbFMke1KXqnYyBBWxB74N4c5SBnJMVAiMNRcGu6x1AwQ0")]   // '0' is not base58
    [InlineData("!afkreiffsgtnic7uebaeuaixgph3pmmq2ywglpylzwrswv5so7m23hyuny")] // unknown multibase
    [InlineData("bafkreiffsgtnic7uebaeuaixgph3pmmq2ywglpylzwrswv5so7m23hyun1")] // '1' is not base32
    [InlineData("zQmbFMke1KXqnYyBBWxB74N4c5SBnJMVAiMNRcGu6x1AwQH")]  // v0 with a multibase prefix
    public void Parse_Malformed_ThrowsCidFormatException(string text)
    {
        Assert.Throws<CidFormatException>(() => Cid.Parse(text));
        Assert.False(Cid.TryParse(text, out _));
    }

    [Theory]
    [InlineData("02551220")]   // version 2
    [InlineData("0155128101")] // a digest length over the limit
    [InlineData("1221")]       // sha2-256 with a 33-byte digest as a v0 prefix
    public void FromBytes_Malformed_ThrowsMultiformatsException(string hex)
    {
        Assert.ThrowsAny<MultiformatsException>(() => Cid.FromBytes(Convert.FromHexString(hex)));
    }

    [Fact]
    public void ToV0_NonDagPb_Throws()
    {
        Assert.Throws<CidFormatException>(() => Cid.Parse(HelloWorldCid).ToV0());
    }

    [Fact]
    public void Hash_Matches_VerifiesContent()
    {
        Cid cid = Cid.Parse(HelloWorldCid);
        Assert.True(cid.Hash.Matches(Encoding.UTF8.GetBytes("Hello World")));
        Assert.False(cid.Hash.Matches(Encoding.UTF8.GetBytes("Hello World!")));
    }
}
