using System.Security.Cryptography;

namespace Helia.Libp2p.Crypto;

/// <summary>An ECDSA public key (NIST P-256, P-384 or P-521) in PKIX DER; signatures are DER ECDSA over SHA-256.</summary>
public sealed class EcdsaPublicKey : PublicKey
{
    private readonly ECParameters _parameters;

    public EcdsaPublicKey(ReadOnlySpan<byte> data)
        : base(data.ToArray())
    {
        using ECDsa ecdsa = ECDsa.Create();
        try
        {
            ecdsa.ImportSubjectPublicKeyInfo(data, out int read);
            if (read != data.Length)
            {
                throw new KeyFormatException("Trailing bytes after the ECDSA public key.");
            }

            _parameters = ecdsa.ExportParameters(includePrivateParameters: false);
        }
        catch (Exception ex) when (ex is CryptographicException or PlatformNotSupportedException)
        {
            // A well-formed key on a curve the platform does not know (an OID no one uses) is PlatformNotSupported.
            throw new KeyFormatException("Malformed ECDSA public key (PKIX DER of a NIST curve expected).", ex);
        }

        string? oid = _parameters.Curve.Oid?.Value;
        if (oid is not (NistCurves.P256 or NistCurves.P384 or NistCurves.P521))
        {
            throw new KeyFormatException($"Unsupported ECDSA curve {oid ?? "(explicit)"}.");
        }
    }

    public override KeyType Type => KeyType.Ecdsa;

    public override bool Verify(ReadOnlySpan<byte> data, ReadOnlySpan<byte> signature)
    {
        using ECDsa ecdsa = ECDsa.Create(_parameters);
        return ecdsa.VerifyData(data, signature, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence);
    }

    internal static class NistCurves
    {
        public const string P256 = "1.2.840.10045.3.1.7";
        public const string P384 = "1.3.132.0.34";
        public const string P521 = "1.3.132.0.35";
    }
}
