using System.Security.Cryptography;
using CsCheck;
using Helia.Libp2p.Crypto;

namespace Helia.Libp2p.Tests.Crypto;

/// <summary>
/// Random and mutated keys as remote peers send them (PublicKey protobufs, RSA/ECDSA PKIX DER, secp256k1 points,
/// Ed25519 bytes) and as key files hold them (PrivateKey protobufs): each is read or refused with
/// <see cref="KeyFormatException"/>, a key that is read round-trips and verifies garbage signatures as false, and a
/// changed signature never verifies.
/// </summary>
public class KeyBadInputTests
{
    /// <summary>One key of every type (RSA is slow to make: once for the class).</summary>
    private static readonly Lazy<PrivateKey[]> s_keys = new(() =>
        [Ed25519PrivateKey.Generate(), RsaPrivateKey.Generate(), EcdsaPrivateKey.Generate(), Secp256k1PrivateKey.Generate()]);

    private static readonly Lazy<byte[]> s_uncompressedSecp256k1 = new(() =>
    {
        using var ecdsa = ECDsa.Create(Secp256k1PublicKey.Curve);
        ECParameters parameters = ecdsa.ExportParameters(includePrivateParameters: false);
        return [0x04, .. parameters.Q.X!, .. parameters.Q.Y!];
    });

    [Fact]
    public void PublicKeyUnmarshal_RandomOrMutated_ReadsOrThrowsKeyFormatException()
    {
        byte[][] valid = [.. s_keys.Value.Select(key => key.PublicKey.Marshal()), PublicKey.Create(KeyType.Secp256k1, s_uncompressedSecp256k1.Value).Marshal()];
        Gen.Select(BadInput.RandomOrMutated(80, valid), BadInput.RandomBytes(80)).Sample(
            (bytes, signature) => BadInput.ParsesOrThrows<KeyFormatException>(() => CheckUsable(PublicKey.Unmarshal(bytes), signature)),
            iter: 1500);
    }

    [Fact]
    public void PublicKeyCreate_MutatedKeyData_ReadsOrThrowsKeyFormatException()
    {
        (KeyType Type, byte[] Data)[] valid =
            [.. s_keys.Value.Select(key => (key.Type, key.PublicKey.Data.ToArray())), (KeyType.Secp256k1, s_uncompressedSecp256k1.Value)];
        Gen.Select(Gen.Int[0, valid.Length - 1], BadInput.Mutation, BadInput.RandomBytes(80)).Sample(
            (index, mutate, signature) =>
            {
                (KeyType type, byte[] data) = valid[index];
                BadInput.ParsesOrThrows<KeyFormatException>(() => CheckUsable(PublicKey.Create(type, mutate(data)), signature));
            },
            iter: 1500);
    }

    [Fact]
    public void Verify_MutatedSignature_IsFalseAndNeverThrows()
    {
        byte[] data = "noise-libp2p-static-key:"u8.ToArray();
        Gen.Select(Gen.Int[0, s_keys.Value.Length - 1], BadInput.Mutation).Sample(
            (index, mutate) =>
            {
                PrivateKey key = s_keys.Value[index];
                byte[] signature = key.Sign(data);
                byte[] changed = mutate(signature);
                Assert.Equal(changed.AsSpan().SequenceEqual(signature), key.PublicKey.Verify(data, changed));
            },
            iter: 1000);
    }

    [Fact]
    public void PrivateKeyUnmarshal_RandomOrMutated_ReadsAWorkingKeyOrThrowsKeyFormatException()
    {
        byte[][] valid = [.. s_keys.Value.Select(key => key.Marshal())];
        BadInput.RandomOrMutated(80, valid).Sample(
            bytes => BadInput.ParsesOrThrows<KeyFormatException>(() =>
            {
                using PrivateKey key = PrivateKey.Unmarshal(bytes);
                byte[] signature = key.Sign("data"u8);
                Assert.True(key.PublicKey.Verify("data"u8, signature), $"A {key.Type} key read from a key file cannot verify its own signature.");
            }),
            iter: 600);
    }

    [Fact]
    public void Ecdsa_KeyOnACurveThePlatformDoesNotKnow_ThrowsKeyFormatException()
    {
        // P-256's OID 1.2.840.10045.3.1.7 turned into 1.2.840.10045.3.1.127: well-formed DER, a curve no platform has
        // (OpenSSL answered PlatformNotSupportedException, which leaked out of the Noise handshake and key files).
        using var ecdsa = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        byte[] p256 = [0x06, 0x08, 0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x03, 0x01, 0x07];
        byte[] unknown = [.. p256[..^1], 0x7F];

        Assert.Throws<KeyFormatException>(() => PublicKey.Create(KeyType.Ecdsa, Replace(ecdsa.ExportSubjectPublicKeyInfo(), p256, unknown)));
        Assert.Throws<KeyFormatException>(() => EcdsaPrivateKey.Import(Replace(ecdsa.ExportECPrivateKey(), p256, unknown)));
    }

    /// <summary>A key that was read: its canonical form reads back the same, and it verifies a garbage signature as false.</summary>
    private static void CheckUsable(PublicKey key, byte[] signature)
    {
        Assert.Equal(key, PublicKey.Unmarshal(key.Marshal()));
        Assert.False(key.Verify("data"u8, signature));
    }

    private static byte[] Replace(byte[] bytes, byte[] find, byte[] with)
    {
        int at = bytes.AsSpan().IndexOf(find);
        Assert.True(at >= 0, "the curve OID is not in the key");
        return [.. bytes[..at], .. with, .. bytes[(at + find.Length)..]];
    }
}
