using CsCheck;
using Helia.Core.Ipld;
using Helia.Core.Ipld.DagPb;
using Helia.Multiformats;

namespace Helia.Tests.Ipld;

public class DagPbCodecTests
{
    private static readonly Cid s_target = Cid.Parse("QmdfTbBqBPQ7VNxZEYEj14VmRuZBkqFbiwReogJgS1zR1n");
    private static readonly BlockCodecs s_codecs = BlockCodecs.CreateDefault();

    public static TheoryData<string> FixtureNames() => [.. DagPbFixtures.Load().Keys.Order(StringComparer.Ordinal)];

    [Fact]
    public void Fixtures_AreAllLoaded()
    {
        Assert.Equal(17, DagPbFixtures.Load().Count);
    }

    [Theory]
    [MemberData(nameof(FixtureNames))]
    public void Decode_Fixture_ReEncodesToTheSameBytesAndCid(string name)
    {
        (byte[] bytes, string cid) = DagPbFixtures.Load()[name];

        PBNode node = DagPbCodec.Decode(bytes);
        byte[] encoded = DagPbCodec.Encode(node);

        Assert.Equal(Convert.ToHexString(bytes), Convert.ToHexString(encoded));
        Assert.Equal(cid, Cid.Compute(Multicodec.DagPb, encoded).ToString());
    }

    [Fact]
    public void Decode_NamedLinksFixture_ReadsFields()
    {
        PBNode node = DagPbCodec.Decode(DagPbFixtures.Load()["dagpb_4namedlinks+data"].Bytes);

        Assert.Equal(["audio_only.m4a", "chat.txt", "playback.m3u", "zoom_0.mp4"], node.Links.Select(l => l.Name));
        Assert.Equal(23319629UL, node.Links[0].Tsize);
        Assert.Equal([0x08, 0x01], node.Data!.Value.ToArray());
    }

    [Fact]
    public void Decode_Empty_HasNoDataAndNoLinks()
    {
        PBNode node = DagPbCodec.Decode(Array.Empty<byte>());

        Assert.Null(node.Data);
        Assert.Empty(node.Links);
        Assert.Equal("bafybeihdwdcefgh4dqkjv67uzcmw7ojee6xedzdetojuzjevtenxquvyku", Cid.Compute(Multicodec.DagPb, DagPbCodec.Encode(node)).ToString());
    }

    [Fact]
    public void Encode_NameAbsentVersusEmpty_Differ()
    {
        byte[] absent = DagPbCodec.Encode(new PBNode([new PBLink(s_target)]));
        byte[] empty = DagPbCodec.Encode(new PBNode([new PBLink(s_target, "")]));

        Assert.Equal(absent.Length + 2, empty.Length);
        Assert.Null(DagPbCodec.Decode(absent).Links[0].Name);
        Assert.Equal("", DagPbCodec.Decode(empty).Links[0].Name);
    }

    [Fact]
    public void Encode_LinksNotSorted_Throws()
    {
        var node = new PBNode([new PBLink(s_target, "b"), new PBLink(s_target, "a")]);

        Assert.Throws<ArgumentException>(() => DagPbCodec.Encode(node));
    }

    [Fact]
    public void SortLinks_SortsByUtf8BytesAndIsStable()
    {
        // U+E000 (EE 80 80) vs U+10000 (F0 90 80 80): UTF-16 puts the surrogate D800 first, UTF-8 puts U+E000 first.
        PBLink high = new(s_target, "\U00010000");
        PBLink pua = new(s_target, "\uE000");
        PBLink first = new(s_target, "x", 1);
        PBLink second = new(s_target, "x", 2);

        List<PBLink> sorted = PBNode.SortLinks([high, second, pua, first]);

        Assert.Equal([second, first, pua, high], sorted);
    }

    [Fact]
    public void CollectLinks_ReturnsHashesInOrder()
    {
        byte[] bytes = DagPbFixtures.Load()["dagpb_2link+data"].Bytes;
        var links = new List<Cid>();

        s_codecs.CollectLinks(Cid.Compute(Multicodec.DagPb, bytes), bytes, links);

        Assert.Equal(2, links.Count);
        Assert.Equal(DagPbCodec.Decode(bytes).Links.Select(l => l.Hash), links);
    }

    [Theory]
    [InlineData("0a0100" + "0a0100", "duplicate Data")]
    [InlineData("0a0100" + "1200", "Links after Data")]
    [InlineData("1a0100", "unknown field")]
    [InlineData("0800", "wrong wire type")]
    [InlineData("0a05000102", "claims 5 bytes")]
    [InlineData("0a", "ends inside")]
    [InlineData("0a80", "ends inside")]
    [InlineData("0a8000", "not minimally encoded")]
    [InlineData("0aFFFFFFFFFFFFFFFFFF02", "overflows")]
    [InlineData("1200", "no Hash")]
    [InlineData("12021800", "no Hash before field 3")]
    [InlineData("1204" + "0a0100" + "0a00", "repeats field 1")]
    [InlineData("1206" + "0a00" + "1800" + "1200", "after field 3")]
    [InlineData("1202" + "2000", "unknown field")]
    [InlineData("1202" + "1000", "wrong wire type")]
    [InlineData("1203" + "0a0112", "not a valid CID")]
    public void Decode_Malformed_ThrowsDagPbException(string hex, string expected)
    {
        byte[] bytes = Convert.FromHexString(hex);

        var error = Assert.Throws<DagPbException>(() => DagPbCodec.Decode(bytes));
        Assert.Contains(expected, error.Message, StringComparison.OrdinalIgnoreCase);
        Assert.Throws<DagPbException>(() => s_codecs.CollectLinks(s_target, bytes, new List<Cid>()));
    }

    [Fact]
    public void Decode_NameNotUtf8_Throws()
    {
        byte[] hash = s_target.ToArray();
        byte[] link = [0x0a, (byte)hash.Length, .. hash, 0x12, 0x01, 0xFF];
        byte[] bytes = [0x12, (byte)link.Length, .. link];

        Assert.Throws<DagPbException>(() => DagPbCodec.Decode(bytes));
    }

    [Fact]
    public void Decode_TruncatedFixtures_NeverThrowAnythingElse()
    {
        foreach ((byte[] bytes, _) in DagPbFixtures.Load().Values)
        {
            for (int length = 0; length < bytes.Length; length++)
            {
                byte[] prefix = bytes[..length];
                try
                {
                    DagPbCodec.Decode(prefix);
                }
                catch (DagPbException)
                {
                }
            }
        }
    }

    [Fact]
    public void Decode_RandomBytes_OnlyThrowsDagPbException()
    {
        Gen.Byte.Array[0, 64].Sample(bytes =>
        {
            try
            {
                DagPbCodec.Decode(bytes);
            }
            catch (DagPbException)
            {
            }
        });
    }

    [Fact]
    public void Registry_KnowsRawAndDagPb_AndRejectsOthers()
    {
        Assert.Same(RawCodec.Instance, s_codecs.Get(Multicodec.Raw));
        Assert.Same(DagPbCodec.Instance, s_codecs.Get(Multicodec.DagPb));
        Assert.Throws<UnsupportedCodecException>(() => s_codecs.Get(0x300000UL));

        var links = new List<Cid>();
        s_codecs.CollectLinks(Cid.Compute(Multicodec.Raw, [1, 2, 3]), [1, 2, 3], links);
        Assert.Empty(links);
    }
}
