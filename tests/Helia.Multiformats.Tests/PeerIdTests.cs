namespace Helia.Multiformats.Tests;

public class PeerIdTests
{
    private const string Sha256Id = "QmYyQSo1c1Ym7orWxLYvCrM2EmxFTANf8wXmmE7DWjhx5N";
    private const string Sha256IdAsCid = "bafzbeie5745rpv2m6tjyuugywy4d5ewrqgqqhfnf445he3omzpjbx5xqxe";
    private const string Ed25519Id = "12D3KooWD3eckifWpRn9wQpMG9R9hX3sD158z7EqHWmweQAJU5SA";

    [Fact]
    public void Parse_SpecExamples_Base58AndCidFormsAgree()
    {
        PeerId fromBase58 = PeerId.Parse(Sha256Id);
        PeerId fromCid = PeerId.Parse(Sha256IdAsCid);

        Assert.Equal(fromBase58, fromCid);
        Assert.Equal(Multicodec.Sha2_256, fromBase58.Multihash.Algorithm);
        Assert.Equal(Sha256Id, fromCid.ToString());
        Assert.Equal(Sha256IdAsCid, fromBase58.ToCid().ToString());
    }

    [Fact]
    public void Parse_Ed25519Id_InlinesTheProtobufKey()
    {
        PeerId id = PeerId.Parse(Ed25519Id);

        Assert.Equal(Multicodec.Identity, id.Multihash.Algorithm);
        Assert.True(id.TryGetInlinedPublicKey(out ReadOnlyMemory<byte> key));
        Assert.Equal(36, key.Length);
        Assert.Equal(new byte[] { 0x08, 0x01, 0x12, 0x20 }, key[..4].ToArray());   // KeyType Ed25519, 32-byte data
        Assert.Equal(Ed25519Id, id.ToString());
        Assert.Equal(id, PeerId.Parse(id.ToCid().ToString(MultibaseEncoding.Base36)));
        Assert.Equal(id, PeerId.FromBytes(id.ToArray()));
    }

    [Theory]
    [InlineData("")]
    [InlineData("Qm")]
    [InlineData("QmYyQSo1c1Ym7orWxLYvCrM2EmxFTANf8wXmmE7DWjhx5")]                // truncated
    [InlineData("12D3KooW0000")]                                                  // '0' is not base58
    [InlineData("bafkreiffsgtnic7uebaeuaixgph3pmmq2ywglpylzwrswv5so7m23hyuny")]   // a raw CID, not libp2p-key
    [InlineData("not a peer id")]
    public void Parse_Invalid_ThrowsPeerIdFormatException(string text)
    {
        Assert.Throws<PeerIdFormatException>(() => PeerId.Parse(text));
        Assert.False(PeerId.TryParse(text, out _));
    }

    [Fact]
    public void FromMultihash_WrongHashFunctionOrLength_Throws()
    {
        Multihash sha512 = Multihash.Compute(Multicodec.Sha2_512, [1, 2, 3]);
        Multihash longIdentity = Multihash.Create(Multicodec.Identity, new byte[43]);

        Assert.Throws<PeerIdFormatException>(() => PeerId.FromMultihash(sha512));
        Assert.Throws<PeerIdFormatException>(() => PeerId.FromMultihash(longIdentity));
    }
}
