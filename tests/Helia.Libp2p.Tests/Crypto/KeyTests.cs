using System.Text;
using Helia.Libp2p.Crypto;
using Helia.Multiformats;

namespace Helia.Libp2p.Tests.Crypto;

public class KeyTests
{
    public static TheoryData<string, string, KeyType> SpecVectors => new()
    {
        { PeerIdSpecVectors.Ed25519Private, PeerIdSpecVectors.Ed25519Public, KeyType.Ed25519 },
        { PeerIdSpecVectors.EcdsaPrivate, PeerIdSpecVectors.EcdsaPublic, KeyType.Ecdsa },
        { PeerIdSpecVectors.Secp256k1Private, PeerIdSpecVectors.Secp256k1Public, KeyType.Secp256k1 },
        { PeerIdSpecVectors.RsaPrivate, PeerIdSpecVectors.RsaPublic, KeyType.Rsa },
    };

    [Theory]
    [MemberData(nameof(SpecVectors))]
    public void Unmarshal_SpecVector_DerivesTheSpecPublicKey(string privateHex, string publicHex, KeyType type)
    {
        using PrivateKey key = PrivateKey.Unmarshal(Convert.FromHexString(privateHex));

        Assert.Equal(type, key.Type);
        Assert.Equal(publicHex, Convert.ToHexStringLower(key.PublicKey.Marshal()), ignoreCase: true);
        Assert.Equal(key.PublicKey, PublicKey.Unmarshal(Convert.FromHexString(publicHex)));
    }

    [Theory]
    [MemberData(nameof(SpecVectors))]
    public void Marshal_SpecVector_RoundTripsBytes(string privateHex, string publicHex, KeyType type)
    {
        using PrivateKey key = PrivateKey.Unmarshal(Convert.FromHexString(privateHex));
        PublicKey publicKey = PublicKey.Unmarshal(Convert.FromHexString(publicHex));

        Assert.Equal(type, publicKey.Type);
        Assert.Equal(privateHex, Convert.ToHexStringLower(key.Marshal()), ignoreCase: true);
        Assert.Equal(publicHex, Convert.ToHexStringLower(publicKey.Marshal()), ignoreCase: true);
    }

    [Theory]
    [MemberData(nameof(SpecVectors))]
    public void Verify_OwnSignature_TrueAndTamperedFalse(string privateHex, string publicHex, KeyType type)
    {
        _ = type;
        using PrivateKey key = PrivateKey.Unmarshal(Convert.FromHexString(privateHex));
        PublicKey remote = PublicKey.Unmarshal(Convert.FromHexString(publicHex));
        byte[] message = Encoding.UTF8.GetBytes("noise-libp2p-static-key:0123456789abcdef0123456789abcdef");

        byte[] signature = key.Sign(message);

        Assert.True(remote.Verify(message, signature));
        message[^1] ^= 1;
        Assert.False(remote.Verify(message, signature));
        message[^1] ^= 1;
        signature[^1] ^= 1;
        Assert.False(remote.Verify(message, signature));
        Assert.False(remote.Verify(message, []));
    }

    [Fact]
    public void ToPeerIdMultihash_Ed25519_IsIdentityOfTheEncodedKey()
    {
        PublicKey key = PublicKey.Unmarshal(Convert.FromHexString(PeerIdSpecVectors.Ed25519Public));

        Multihash hash = key.ToPeerIdMultihash();

        Assert.Equal(Multicodec.Identity, hash.Algorithm);
        Assert.Equal(key.Marshal(), hash.Digest.ToArray());
    }

    [Fact]
    public void ToPeerIdMultihash_Rsa_IsSha256OfTheEncodedKey()
    {
        byte[] encoded = Convert.FromHexString(PeerIdSpecVectors.RsaPublic);
        PublicKey key = PublicKey.Unmarshal(encoded);

        Multihash hash = key.ToPeerIdMultihash();

        Assert.Equal(Multicodec.Sha2_256, hash.Algorithm);
        Assert.Equal(System.Security.Cryptography.SHA256.HashData(encoded), hash.Digest.ToArray());
    }

    [Fact]
    public void Generate_Ed25519_SignsAndRoundTrips()
    {
        using Ed25519PrivateKey key = Ed25519PrivateKey.Generate();
        byte[] signature = key.Sign("hello"u8);

        using PrivateKey copy = PrivateKey.Unmarshal(key.Marshal());

        Assert.Equal(key.PublicKey, copy.PublicKey);
        Assert.True(copy.PublicKey.Verify("hello"u8, signature));
        Assert.Equal(36, key.PublicKey.Marshal().Length);
    }

    [Theory]
    [InlineData("")]
    [InlineData("08")]
    [InlineData("0801")]
    [InlineData("080112")]
    [InlineData("0801122001")]
    [InlineData("12021234")]
    [InlineData("0809120100")]
    [InlineData("080212210477")]
    [InlineData("ffffffffffffffffffff")]
    public void PublicKeyUnmarshal_Malformed_ThrowsKeyFormatException(string hex)
    {
        Assert.Throws<KeyFormatException>(() => PublicKey.Unmarshal(Convert.FromHexString(hex)));
    }

    [Fact]
    public void PublicKeyUnmarshal_Truncated_ThrowsKeyFormatException()
    {
        foreach (string vector in new[] { PeerIdSpecVectors.Ed25519Public, PeerIdSpecVectors.EcdsaPublic, PeerIdSpecVectors.Secp256k1Public, PeerIdSpecVectors.RsaPublic })
        {
            byte[] bytes = Convert.FromHexString(vector);
            for (int length = 0; length < bytes.Length; length += 7)
            {
                Assert.Throws<KeyFormatException>(() => PublicKey.Unmarshal(bytes.AsSpan(0, length)));
            }
        }
    }

    [Fact]
    public void PublicKeyUnmarshal_Oversized_ThrowsBeforeParsing()
    {
        Assert.Throws<KeyFormatException>(() => PublicKey.Unmarshal(new byte[PublicKey.MaxEncodedLength + 1]));
    }

    [Fact]
    public void PrivateKeyUnmarshal_Ed25519WithWrongEmbeddedPublicKey_Throws()
    {
        byte[] bytes = Convert.FromHexString(PeerIdSpecVectors.Ed25519Private);
        bytes[^1] ^= 1;

        Assert.Throws<KeyFormatException>(() => PrivateKey.Unmarshal(bytes));
    }

    [Fact]
    public void Secp256k1_GeneratedKey_VerifiesThroughCompressedPublicKey()
    {
        using Secp256k1PrivateKey key = Secp256k1PrivateKey.Generate();
        PublicKey remote = PublicKey.Unmarshal(key.PublicKey.Marshal());

        Assert.Equal(Secp256k1PublicKey.CompressedSize, remote.Data.Length);
        Assert.True(remote.Verify("data"u8, key.Sign("data"u8)));
    }

    [Fact]
    public async Task KeyFile_SaveThenLoad_SameKey()
    {
        string path = Path.Combine(Path.GetTempPath(), $"helia-key-{Guid.NewGuid():N}");
        try
        {
            using Ed25519PrivateKey key = Ed25519PrivateKey.Generate();
            await KeyFile.SaveAsync(path, key, TestContext.Current.CancellationToken);

            using PrivateKey loaded = await KeyFile.LoadAsync(path, TestContext.Current.CancellationToken);

            Assert.Equal(key.PublicKey, loaded.PublicKey);
            Assert.Equal(key.Marshal(), await File.ReadAllBytesAsync(path, TestContext.Current.CancellationToken));
            if (!OperatingSystem.IsWindows())
            {
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
            }
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task KeyFile_Garbage_ThrowsKeyFormatException()
    {
        string path = Path.Combine(Path.GetTempPath(), $"helia-key-{Guid.NewGuid():N}");
        try
        {
            await File.WriteAllBytesAsync(path, [0x08, 0x01, 0x12, 0x40, 1, 2, 3], TestContext.Current.CancellationToken);

            await Assert.ThrowsAsync<KeyFormatException>(() => KeyFile.LoadAsync(path, TestContext.Current.CancellationToken));
        }
        finally
        {
            File.Delete(path);
        }
    }
}
