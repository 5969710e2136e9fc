using System.Security.Cryptography;

namespace Helia.Libp2p.Crypto;

/// <summary>An ECDSA private key (SEC1 ECPrivateKey DER in the protobuf), kept for key files and tests.</summary>
public sealed class EcdsaPrivateKey : PrivateKey
{
    private readonly ECDsa _ecdsa;

    private EcdsaPrivateKey(ECDsa ecdsa)
    {
        _ecdsa = ecdsa;
        PublicKey = new EcdsaPublicKey(ecdsa.ExportSubjectPublicKeyInfo());
    }

    public override KeyType Type => KeyType.Ecdsa;

    public override PublicKey PublicKey { get; }

    public static EcdsaPrivateKey Generate() => new(ECDsa.Create(ECCurve.NamedCurves.nistP256));

    public static EcdsaPrivateKey Import(ReadOnlySpan<byte> data)
    {
        var ecdsa = ECDsa.Create();
        try
        {
            ecdsa.ImportECPrivateKey(data, out int read);
            if (read != data.Length)
            {
                throw new KeyFormatException("Trailing bytes after the ECDSA private key.");
            }

            return new EcdsaPrivateKey(ecdsa);
        }
        catch (Exception ex) when (ex is CryptographicException or PlatformNotSupportedException)
        {
            // A well-formed key on a curve the platform does not know (an OID no one uses) is PlatformNotSupported.
            ecdsa.Dispose();
            throw new KeyFormatException("Malformed ECDSA private key (SEC1 DER of a NIST curve expected).", ex);
        }
        catch
        {
            ecdsa.Dispose();
            throw;
        }
    }

    public override byte[] Sign(ReadOnlySpan<byte> data) =>
        _ecdsa.SignData(data, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence);

    protected override byte[] ExportData() => _ecdsa.ExportECPrivateKey();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _ecdsa.Dispose();
        }

        base.Dispose(disposing);
    }
}
