using System.Security.Cryptography;

namespace Helia.Libp2p.Crypto;

/// <summary>An RSA private key (PKCS#1 DER in the protobuf), kept for key files and tests; new keys are Ed25519.</summary>
public sealed class RsaPrivateKey : PrivateKey
{
    private readonly RSA _rsa;

    private RsaPrivateKey(RSA rsa)
    {
        _rsa = rsa;
        PublicKey = new RsaPublicKey(rsa.ExportSubjectPublicKeyInfo());
    }

    public override KeyType Type => KeyType.Rsa;

    public override PublicKey PublicKey { get; }

    public static RsaPrivateKey Generate(int bits = RsaPublicKey.MinKeyBits) => new(RSA.Create(bits));

    public static RsaPrivateKey Import(ReadOnlySpan<byte> data)
    {
        var rsa = RSA.Create();
        try
        {
            rsa.ImportRSAPrivateKey(data, out int read);
            if (read != data.Length)
            {
                throw new KeyFormatException("Trailing bytes after the RSA private key.");
            }

            return new RsaPrivateKey(rsa);
        }
        catch (CryptographicException ex)
        {
            rsa.Dispose();
            throw new KeyFormatException("Malformed RSA private key (PKCS#1 DER expected).", ex);
        }
        catch
        {
            rsa.Dispose();
            throw;
        }
    }

    public override byte[] Sign(ReadOnlySpan<byte> data) =>
        _rsa.SignData(data.ToArray(), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);

    protected override byte[] ExportData() => _rsa.ExportRSAPrivateKey();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _rsa.Dispose();
        }

        base.Dispose(disposing);
    }
}
