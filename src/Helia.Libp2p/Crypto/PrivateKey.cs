using Google.Protobuf;

namespace Helia.Libp2p.Crypto;

/// <summary>A libp2p private identity key, as carried in the PrivateKey protobuf (peer-ids spec).</summary>
public abstract class PrivateKey : IDisposable
{
    /// <summary>The largest encoded private key we accept (an 8192-bit RSA key in PKCS#1 is about 4.7 KB).</summary>
    public const int MaxEncodedLength = 16 * 1024;

    public abstract KeyType Type { get; }

    public abstract PublicKey PublicKey { get; }

    /// <summary>Signs <paramref name="data"/> the way the key type prescribes (Ed25519; SHA-256 with PKCS#1 v1.5 or DER ECDSA).</summary>
    public abstract byte[] Sign(ReadOnlySpan<byte> data);

    /// <summary>The PrivateKey protobuf: what key files hold.</summary>
    public byte[] Marshal()
    {
        byte[] data = ExportData();
        try
        {
            return new Protos.PrivateKey { Type = (Protos.KeyType)Type, Data = UnsafeByteOperations.UnsafeWrap(data) }.ToByteArray();
        }
        finally
        {
            Array.Clear(data);
        }
    }

    /// <summary>Reads a PrivateKey protobuf; throws <see cref="KeyFormatException"/> on anything malformed or unsupported.</summary>
    public static PrivateKey Unmarshal(ReadOnlySpan<byte> encoded)
    {
        if (encoded.Length > MaxEncodedLength)
        {
            throw new KeyFormatException($"Private key of {encoded.Length} bytes exceeds {MaxEncodedLength}.");
        }

        Protos.PrivateKey message;
        try
        {
            message = Protos.PrivateKey.Parser.ParseFrom(encoded);
        }
        catch (InvalidProtocolBufferException ex)
        {
            throw new KeyFormatException("Malformed private key protobuf.", ex);
        }

        if (!message.HasType || !message.HasData)
        {
            throw new KeyFormatException("Private key protobuf lacks its Type or Data field.");
        }

        ReadOnlySpan<byte> data = message.Data.Span;
        return (KeyType)message.Type switch
        {
            KeyType.Ed25519 => Ed25519PrivateKey.Import(data),
            KeyType.Rsa => RsaPrivateKey.Import(data),
            KeyType.Ecdsa => EcdsaPrivateKey.Import(data),
            KeyType.Secp256k1 => Secp256k1PrivateKey.Import(data),
            _ => throw new KeyFormatException($"Unknown key type {(int)message.Type}."),
        };
    }

    /// <summary>The type-specific private key bytes (the Data field); the caller clears them.</summary>
    protected abstract byte[] ExportData();

    public void Dispose()
    {
        Dispose(disposing: true);
        GC.SuppressFinalize(this);
    }

    protected virtual void Dispose(bool disposing)
    {
    }
}
