using NSec.Cryptography;

namespace Helia.Libp2p.Crypto;

/// <summary>An Ed25519 public key: 32 raw bytes.</summary>
public sealed class Ed25519PublicKey : PublicKey
{
    public const int Size = 32;

    private readonly NSec.Cryptography.PublicKey _key;

    public Ed25519PublicKey(ReadOnlySpan<byte> data)
        : base(data.ToArray())
    {
        if (data.Length != Size
            || !NSec.Cryptography.PublicKey.TryImport(SignatureAlgorithm.Ed25519, data, KeyBlobFormat.RawPublicKey, out NSec.Cryptography.PublicKey? key))
        {
            throw new KeyFormatException($"An Ed25519 public key is {Size} valid bytes, got {data.Length}.");
        }

        _key = key!;
    }

    public override KeyType Type => KeyType.Ed25519;

    public override bool Verify(ReadOnlySpan<byte> data, ReadOnlySpan<byte> signature) =>
        SignatureAlgorithm.Ed25519.Verify(_key, data, signature);
}
