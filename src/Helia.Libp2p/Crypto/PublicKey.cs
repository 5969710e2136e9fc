using Google.Protobuf;
using Helia.Multiformats;

namespace Helia.Libp2p.Crypto;

/// <summary>
/// A libp2p public key: an identity key of a peer, as carried in the PublicKey protobuf
/// (<c>Type</c> + <c>Data</c>, peer-ids spec). Only Ed25519 keys are made locally; RSA, ECDSA and secp256k1
/// keys arrive from remote peers and are used to verify their signatures.
/// </summary>
public abstract class PublicKey : IEquatable<PublicKey>
{
    /// <summary>The largest encoded public key we accept (an 8192-bit RSA key is about 1.1 KB).</summary>
    public const int MaxEncodedLength = 4096;

    /// <summary>Keys whose encoding is at most this long are inlined in the peer id (identity multihash).</summary>
    public const int MaxInlineKeyLength = 42;

    private readonly byte[] _data;

    private protected PublicKey(byte[] data)
    {
        _data = data;
    }

    public abstract KeyType Type { get; }

    /// <summary>The type-specific key bytes: the protobuf's <c>Data</c> field.</summary>
    public ReadOnlyMemory<byte> Data => _data;

    /// <summary>Checks <paramref name="signature"/> over <paramref name="data"/>; false for any invalid or malformed signature.</summary>
    public abstract bool Verify(ReadOnlySpan<byte> data, ReadOnlySpan<byte> signature);

    /// <summary>The PublicKey protobuf (the bytes a peer id is derived from).</summary>
    public byte[] Marshal() =>
        new Protos.PublicKey { Type = (Protos.KeyType)Type, Data = UnsafeByteOperations.UnsafeWrap(_data) }.ToByteArray();

    /// <summary>The multihash of a peer id for this key: identity when the encoding is at most 42 bytes, else sha2-256.</summary>
    public Multihash ToPeerIdMultihash()
    {
        byte[] encoded = Marshal();
        return encoded.Length <= MaxInlineKeyLength
            ? Multihash.Create(Multicodec.Identity, encoded)
            : Multihash.Compute(Multicodec.Sha2_256, encoded);
    }

    /// <summary>Reads a PublicKey protobuf; throws <see cref="KeyFormatException"/> on anything malformed or unsupported.</summary>
    public static PublicKey Unmarshal(ReadOnlySpan<byte> encoded)
    {
        if (encoded.Length > MaxEncodedLength)
        {
            throw new KeyFormatException($"Public key of {encoded.Length} bytes exceeds {MaxEncodedLength}.");
        }

        Protos.PublicKey message;
        try
        {
            message = Protos.PublicKey.Parser.ParseFrom(encoded);
        }
        catch (InvalidProtocolBufferException ex)
        {
            throw new KeyFormatException("Malformed public key protobuf.", ex);
        }

        if (!message.HasType || !message.HasData)
        {
            throw new KeyFormatException("Public key protobuf lacks its Type or Data field.");
        }

        return Create((KeyType)message.Type, message.Data.Span);
    }

    /// <summary>Makes a key from its type and type-specific bytes (the Data field).</summary>
    public static PublicKey Create(KeyType type, ReadOnlySpan<byte> data) => type switch
    {
        KeyType.Ed25519 => new Ed25519PublicKey(data),
        KeyType.Rsa => new RsaPublicKey(data),
        KeyType.Ecdsa => new EcdsaPublicKey(data),
        KeyType.Secp256k1 => new Secp256k1PublicKey(data),
        _ => throw new KeyFormatException($"Unknown key type {(int)type}."),
    };

    public bool Equals(PublicKey? other) => other is not null && other.Type == Type && other._data.AsSpan().SequenceEqual(_data);

    public override bool Equals(object? obj) => obj is PublicKey other && Equals(other);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.Add(Type);
        hash.AddBytes(_data);
        return hash.ToHashCode();
    }

    public override string ToString() => $"{Type}:{Convert.ToHexStringLower(_data)}";
}
