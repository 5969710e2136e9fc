using NSec.Cryptography;

namespace Helia.Libp2p.Crypto;

/// <summary>
/// An Ed25519 private key, libp2p's default identity key. Its protobuf Data is the 32-byte seed followed by the
/// 32-byte public key (64 bytes); the legacy 96-byte form (public key repeated) is read too.
/// </summary>
public sealed class Ed25519PrivateKey : PrivateKey
{
    public const int SeedSize = 32;

    private readonly Key _key;

    private Ed25519PrivateKey(Key key)
    {
        _key = key;
        PublicKey = new Ed25519PublicKey(key.PublicKey.Export(KeyBlobFormat.RawPublicKey));
    }

    public override KeyType Type => KeyType.Ed25519;

    private static KeyCreationParameters Exportable => new() { ExportPolicy = KeyExportPolicies.AllowPlaintextExport };

    public override PublicKey PublicKey { get; }

    /// <summary>Makes a new random key.</summary>
    public static Ed25519PrivateKey Generate() => new(Key.Create(SignatureAlgorithm.Ed25519, Exportable));

    /// <summary>Makes the key of a 32-byte seed.</summary>
    public static Ed25519PrivateKey FromSeed(ReadOnlySpan<byte> seed)
    {
        if (seed.Length != SeedSize)
        {
            throw new KeyFormatException($"An Ed25519 seed is {SeedSize} bytes, got {seed.Length}.");
        }

        return new Ed25519PrivateKey(Key.Import(SignatureAlgorithm.Ed25519, seed, KeyBlobFormat.RawPrivateKey, Exportable));
    }

    /// <summary>Reads the protobuf Data form: seed + public key (64 bytes, or 96 in the legacy form).</summary>
    public static Ed25519PrivateKey Import(ReadOnlySpan<byte> data)
    {
        if (data.Length is not (SeedSize + Ed25519PublicKey.Size) and not (SeedSize + (2 * Ed25519PublicKey.Size)))
        {
            throw new KeyFormatException($"An Ed25519 private key is 64 bytes (seed + public key), got {data.Length}.");
        }

        Ed25519PrivateKey key = FromSeed(data[..SeedSize]);
        if (!key.PublicKey.Data.Span.SequenceEqual(data.Slice(SeedSize, Ed25519PublicKey.Size)))
        {
            key.Dispose();
            throw new KeyFormatException("The Ed25519 private key's embedded public key does not match its seed.");
        }

        return key;
    }

    public override byte[] Sign(ReadOnlySpan<byte> data) => SignatureAlgorithm.Ed25519.Sign(_key, data);

    protected override byte[] ExportData()
    {
        byte[] data = new byte[SeedSize + Ed25519PublicKey.Size];
        byte[] seed = _key.Export(KeyBlobFormat.RawPrivateKey);
        seed.CopyTo(data, 0);
        Array.Clear(seed);
        PublicKey.Data.Span.CopyTo(data.AsSpan(SeedSize));
        return data;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _key.Dispose();
        }

        base.Dispose(disposing);
    }
}
