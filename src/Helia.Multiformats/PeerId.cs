using System.Diagnostics.CodeAnalysis;
using SimpleBase;

namespace Helia.Multiformats;

/// <summary>
/// A libp2p peer ID (specs: libp2p/peer-ids): the multihash of the peer's public key, identity-hashed when the
/// encoded key is at most 42 bytes, sha2-256 otherwise. Its text form is base58btc ("12D3Koo…", "Qm…") or a CIDv1
/// with the libp2p-key codec in any multibase ("k51…"). Deriving one from a key lives in Helia.Libp2p.
/// </summary>
public readonly struct PeerId : IEquatable<PeerId>
{
    /// <summary>The longest public key that is inlined with the identity hash rather than hashed.</summary>
    public const int MaxInlineKeyLength = 42;

    private PeerId(Multihash multihash) => Multihash = multihash;

    /// <summary>The multihash: identity over the encoded public key, or sha2-256 of it.</summary>
    public Multihash Multihash { get; }

    /// <summary>The binary form: the multihash's bytes.</summary>
    public ReadOnlySpan<byte> Bytes => Multihash.Bytes;

    /// <summary>True for <c>default(PeerId)</c>.</summary>
    public bool IsEmpty => Multihash.IsEmpty;

    /// <summary>The identity-hashed public key (protobuf-encoded) when the ID inlines it.</summary>
    public bool TryGetInlinedPublicKey(out ReadOnlyMemory<byte> publicKey)
    {
        publicKey = Multihash.Algorithm == Multicodec.Identity ? Multihash.DigestMemory : default;
        return Multihash.Algorithm == Multicodec.Identity;
    }

    /// <summary>Wraps a multihash after checking it is one a peer ID may be.</summary>
    public static PeerId FromMultihash(Multihash multihash)
    {
        bool valid = multihash.Algorithm switch
        {
            Multicodec.Identity => multihash.Digest.Length is > 0 and <= MaxInlineKeyLength,
            Multicodec.Sha2_256 => multihash.Digest.Length == 32,
            _ => false,
        };
        return valid
            ? new PeerId(multihash)
            : throw new PeerIdFormatException($"A peer ID is an identity multihash of at most {MaxInlineKeyLength} bytes or a sha2-256 multihash, not {multihash}.");
    }

    /// <summary>Parses the binary form (a multihash).</summary>
    public static PeerId FromBytes(ReadOnlySpan<byte> bytes)
    {
        try
        {
            return FromMultihash(Multihash.Parse(bytes));
        }
        catch (MultihashException ex)
        {
            throw new PeerIdFormatException($"Not a peer ID: {ex.Message}", ex);
        }
    }

    /// <summary>Parses base58btc ("Qm…", "1…") or a libp2p-key CIDv1 in any multibase.</summary>
    public static PeerId Parse(ReadOnlySpan<char> text)
    {
        if (text.IsEmpty)
        {
            throw new PeerIdFormatException("An empty string is not a peer ID.");
        }

        if (text[0] is 'Q' or '1')
        {
            byte[] bytes;
            try
            {
                bytes = Base58.Bitcoin.Decode(text);
            }
            catch (ArgumentException ex)
            {
                throw new PeerIdFormatException($"'{text}' is not valid base58btc.", ex);
            }

            return FromBytes(bytes);
        }

        Cid cid;
        try
        {
            cid = Cid.Parse(text);
        }
        catch (MultiformatsException ex)
        {
            throw new PeerIdFormatException($"'{text}' is neither a base58btc peer ID nor a CID: {ex.Message}", ex);
        }

        return cid.Codec == Multicodec.Libp2pKey
            ? FromMultihash(cid.Hash)
            : throw new PeerIdFormatException($"The CID '{text}' has codec {cid.Codec}, not libp2p-key.");
    }

    /// <inheritdoc cref="Parse(ReadOnlySpan{char})"/>
    public static PeerId Parse(string text) => Parse(text.AsSpan());

    /// <summary>Parses like <see cref="Parse(string)"/>, answering false instead of throwing.</summary>
    public static bool TryParse([NotNullWhen(true)] string? text, out PeerId peerId)
    {
        peerId = default;
        if (string.IsNullOrEmpty(text))
        {
            return false;
        }

        try
        {
            peerId = Parse(text);
            return true;
        }
        catch (MultiformatsException)
        {
            return false;
        }
    }

    /// <summary>The CIDv1 form with the libp2p-key codec.</summary>
    public Cid ToCid() => Cid.CreateV1(Multicodec.Libp2pKey, Multihash);

    /// <summary>The binary form as a new array.</summary>
    public byte[] ToArray() => Multihash.ToArray();

    /// <summary>The base58btc form, as libp2p prints peer IDs.</summary>
    public override string ToString() => IsEmpty ? "(none)" : Base58.Bitcoin.Encode(Bytes);

    public bool Equals(PeerId other) => Multihash.Equals(other.Multihash);

    public override bool Equals(object? obj) => obj is PeerId other && Equals(other);

    public override int GetHashCode() => Multihash.GetHashCode();

    public static bool operator ==(PeerId left, PeerId right) => left.Equals(right);

    public static bool operator !=(PeerId left, PeerId right) => !left.Equals(right);
}
