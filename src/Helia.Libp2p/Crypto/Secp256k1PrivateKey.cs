using System.Security.Cryptography;

namespace Helia.Libp2p.Crypto;

/// <summary>A secp256k1 private key (the raw 32-byte scalar in the protobuf), kept for key files and tests.</summary>
public sealed class Secp256k1PrivateKey : PrivateKey
{
    public const int Size = 32;

    private readonly ECDsa _ecdsa;

    private Secp256k1PrivateKey(ECDsa ecdsa)
    {
        _ecdsa = ecdsa;
        ECParameters parameters = ecdsa.ExportParameters(includePrivateParameters: false);
        PublicKey = new Secp256k1PublicKey(Secp256k1PublicKey.Compress(parameters.Q.X, parameters.Q.Y));
    }

    public override KeyType Type => KeyType.Secp256k1;

    public override PublicKey PublicKey { get; }

    public static Secp256k1PrivateKey Generate() => new(ECDsa.Create(Secp256k1PublicKey.Curve));

    public static Secp256k1PrivateKey Import(ReadOnlySpan<byte> data)
    {
        if (data.Length != Size)
        {
            throw new KeyFormatException($"A secp256k1 private key is {Size} bytes, got {data.Length}.");
        }

        var ecdsa = ECDsa.Create();
        try
        {
            ecdsa.ImportParameters(new ECParameters { Curve = Secp256k1PublicKey.Curve, D = data.ToArray() });
            return new Secp256k1PrivateKey(ecdsa);
        }
        catch (CryptographicException ex)
        {
            ecdsa.Dispose();
            throw new KeyFormatException("Invalid secp256k1 private key.", ex);
        }
    }

    public override byte[] Sign(ReadOnlySpan<byte> data) =>
        _ecdsa.SignData(data, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence);

    protected override byte[] ExportData() => _ecdsa.ExportParameters(includePrivateParameters: true).D!;

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _ecdsa.Dispose();
        }

        base.Dispose(disposing);
    }
}
