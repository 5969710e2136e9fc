using System.Security.Cryptography;

namespace Helia.Libp2p.Crypto;

/// <summary>An RSA public key in PKIX (SubjectPublicKeyInfo) DER; signatures are PKCS#1 v1.5 over SHA-256.</summary>
public sealed class RsaPublicKey : PublicKey
{
    /// <summary>go-libp2p's bounds on RSA key sizes.</summary>
    public const int MinKeyBits = 2048;
    public const int MaxKeyBits = 8192;

    private readonly RSAParameters _parameters;

    public RsaPublicKey(ReadOnlySpan<byte> data)
        : base(data.ToArray())
    {
        using RSA rsa = RSA.Create();
        try
        {
            rsa.ImportSubjectPublicKeyInfo(data, out int read);
            if (read != data.Length)
            {
                throw new KeyFormatException("Trailing bytes after the RSA public key.");
            }
        }
        catch (CryptographicException ex)
        {
            throw new KeyFormatException("Malformed RSA public key (PKIX DER expected).", ex);
        }

        if (rsa.KeySize is < MinKeyBits or > MaxKeyBits)
        {
            throw new KeyFormatException($"RSA key of {rsa.KeySize} bits is outside {MinKeyBits}..{MaxKeyBits}.");
        }

        _parameters = rsa.ExportParameters(includePrivateParameters: false);
    }

    public override KeyType Type => KeyType.Rsa;

    public override bool Verify(ReadOnlySpan<byte> data, ReadOnlySpan<byte> signature)
    {
        using RSA rsa = RSA.Create(_parameters);
        return rsa.VerifyData(data, signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
    }
}
