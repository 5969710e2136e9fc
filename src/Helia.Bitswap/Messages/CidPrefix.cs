using Helia.Multiformats;
using Helia.Multiformats.Hashing;

namespace Helia.Bitswap.Messages;

/// <summary>
/// A CID without its digest, as bitswap 1.1.0+ sends it before each block:
/// varint(version) varint(content codec) varint(hash function) varint(digest length).
/// With the block's bytes it rebuilds the CID: hash the bytes with the named function, keep the named length.
/// </summary>
public readonly record struct CidPrefix(int Version, ulong Codec, ulong HashCode, int DigestLength)
{
    /// <summary>Four varints at most.</summary>
    public const int MaxLength = 4 * Varint.MaxLength;

    private const int Sha256Length = 32;

    public static CidPrefix FromCid(Cid cid)
    {
        Multihash hash = cid.Hash;
        return new CidPrefix(cid.Version, cid.CodecCode, hash.Code, hash.Digest.Length);
    }

    /// <summary>Parses a whole prefix; throws <see cref="BitswapProtocolException"/> when it is malformed.</summary>
    public static CidPrefix Parse(ReadOnlySpan<byte> source)
    {
        try
        {
            ulong version = Varint.Read(source, out int read);
            int offset = read;
            ulong codec = Varint.Read(source[offset..], out read);
            offset += read;
            ulong hashCode = Varint.Read(source[offset..], out read);
            offset += read;
            ulong digestLength = Varint.Read(source[offset..], out read);
            offset += read;
            if (offset != source.Length)
            {
                throw new BitswapProtocolException($"{source.Length - offset} bytes follow the CID prefix.");
            }

            if (version > 1)
            {
                throw new BitswapProtocolException($"Unsupported CID version {version} in a block prefix.");
            }

            if (digestLength > Multihash.MaxDigestLength)
            {
                throw new BitswapProtocolException($"A digest of {digestLength} bytes is longer than the {Multihash.MaxDigestLength} we accept.");
            }

            if (version == 0 && (codec != (ulong)Multicodec.DagPb || hashCode != (ulong)Multicodec.Sha2_256 || digestLength != Sha256Length))
            {
                throw new BitswapProtocolException("A CIDv0 prefix must name dag-pb and a 32-byte sha2-256 digest.");
            }

            return new CidPrefix((int)version, codec, hashCode, (int)digestLength);
        }
        catch (VarintException ex)
        {
            throw new BitswapProtocolException($"Malformed CID prefix: {ex.Message}", ex);
        }
    }

    public int GetLength() =>
        Varint.GetLength((ulong)Version) + Varint.GetLength(Codec) + Varint.GetLength(HashCode) + Varint.GetLength((ulong)DigestLength);

    public int WriteTo(Span<byte> destination)
    {
        int written = Varint.Write((ulong)Version, destination);
        written += Varint.Write(Codec, destination[written..]);
        written += Varint.Write(HashCode, destination[written..]);
        written += Varint.Write((ulong)DigestLength, destination[written..]);
        return written;
    }

    public byte[] ToArray()
    {
        byte[] bytes = new byte[GetLength()];
        WriteTo(bytes);
        return bytes;
    }

    /// <summary>
    /// Hashes <paramref name="data"/> with the prefix's function and builds the CID. Returns false when we have no such
    /// hash function (such a block can never be one we want); throws <see cref="BitswapProtocolException"/> when the
    /// prefix cannot describe the data (a digest longer than the function makes, an identity digest of another length).
    /// </summary>
    public bool TryComputeCid(ReadOnlySpan<byte> data, out Cid cid)
    {
        cid = default;
        if (!MultihashHashers.TryGet(HashCode, out MultihashHasher hasher))
        {
            return false;
        }

        Multihash multihash;
        if (HashCode == (ulong)Multicodec.Identity)
        {
            if (data.Length != DigestLength)
            {
                throw new BitswapProtocolException($"An identity prefix of {DigestLength} bytes came with a block of {data.Length}.");
            }

            multihash = Multihash.Create(HashCode, data);
        }
        else
        {
            if (DigestLength == 0 || DigestLength > hasher.DigestLength)
            {
                throw new BitswapProtocolException($"{hasher.Name} makes {hasher.DigestLength}-byte digests, not {DigestLength}.");
            }

            Span<byte> digest = stackalloc byte[hasher.DigestLength];
            hasher.Hash(data, digest);
            multihash = Multihash.Create(HashCode, digest[..DigestLength]);
        }

        cid = Version == 0 ? Cid.CreateV0(multihash) : Cid.CreateV1(Codec, multihash);
        return true;
    }
}
