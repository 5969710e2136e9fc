using System.Buffers;
using System.Diagnostics.CodeAnalysis;

namespace Helia.Multiformats;

/// <summary>
/// A content identifier (specs: multiformats/cid). CIDv0 is a bare sha2-256 multihash of a dag-pb block, written in
/// base58btc ("Qm…"); CIDv1 is varint(1) varint(content codec) multihash, written in any multibase (base32 by default).
/// Immutable and cheap to copy: it holds its binary form, so equality, hashing and writing never re-encode.
/// </summary>
public readonly struct Cid : IEquatable<Cid>, ISpanFormattable
{
    /// <summary>The longest binary CID we accept: two 9-byte varints and the longest multihash.</summary>
    public const int MaxLength = 2 * Varint.MaxLength + 2 * Varint.MaxLength + Multihash.MaxDigestLength;

    /// <summary>The longest CID string we read: <see cref="MaxLength"/> bytes in base2 (the widest encoding) plus the prefix.</summary>
    public const int MaxTextLength = (8 * MaxLength) + 1;

    private const int V0Length = 34;
    private const byte Sha256Code = (byte)Multicodec.Sha2_256;
    private const byte Sha256Length = 32;

    private readonly byte[]? _bytes;
    private readonly int _hashOffset;

    private Cid(byte[] bytes, int version, ulong codec, int hashOffset)
    {
        _bytes = bytes;
        Version = version;
        CodecCode = codec;
        _hashOffset = hashOffset;
    }

    /// <summary>0 or 1.</summary>
    public int Version { get; }

    /// <summary>The content codec's code (dag-pb for every CIDv0).</summary>
    public ulong CodecCode { get; }

    /// <summary>The content codec, when it has a name in <see cref="Multicodec"/>.</summary>
    public Multicodec Codec => (Multicodec)CodecCode;

    /// <summary>The multihash of the content.</summary>
    public Multihash Hash => Multihash.WrapExact(_bytes.AsMemory(_hashOffset));

    /// <summary>The binary form.</summary>
    public ReadOnlySpan<byte> Bytes => _bytes;

    /// <summary>True for <c>default(Cid)</c>.</summary>
    public bool IsEmpty => _bytes is null;

    /// <summary>Makes a CIDv1.</summary>
    public static Cid CreateV1(Multicodec codec, Multihash hash) => CreateV1((ulong)codec, hash);

    /// <inheritdoc cref="CreateV1(Multicodec, Multihash)"/>
    public static Cid CreateV1(ulong codec, Multihash hash)
    {
        if (hash.IsEmpty)
        {
            throw new ArgumentException("The multihash is empty.", nameof(hash));
        }

        int codecLength = Varint.GetLength(codec);
        byte[] bytes = new byte[1 + codecLength + hash.EncodedLength];
        bytes[0] = 1;
        Varint.Write(codec, bytes.AsSpan(1));
        hash.WriteTo(bytes.AsSpan(1 + codecLength));
        return new Cid(bytes, 1, codec, 1 + codecLength);
    }

    /// <summary>Makes a CIDv0: the multihash must be a full sha2-256 digest.</summary>
    public static Cid CreateV0(Multihash hash)
    {
        if (hash.Code != (ulong)Multicodec.Sha2_256 || hash.Digest.Length != Sha256Length)
        {
            throw new CidFormatException($"A CIDv0 needs a 32-byte sha2-256 multihash, not {hash}.");
        }

        return new Cid(hash.ToArray(), 0, (ulong)Multicodec.DagPb, 0);
    }

    /// <summary>Hashes <paramref name="data"/> and makes the CIDv1 that names it.</summary>
    public static Cid Compute(Multicodec codec, ReadOnlySpan<byte> data, Multicodec hash = Multicodec.Sha2_256) =>
        CreateV1(codec, Multihash.Compute(hash, data));

    /// <summary>
    /// Reads a binary CID from the start of <paramref name="source"/>. Returns false when the source ends inside it;
    /// throws <see cref="CidFormatException"/> (or another <see cref="MultiformatsException"/>) when it is malformed.
    /// </summary>
    public static bool TryRead(ReadOnlySpan<byte> source, out Cid cid, out int bytesRead)
    {
        cid = default;
        bytesRead = 0;
        if (source.Length >= 2 && source[0] == Sha256Code && source[1] == Sha256Length)
        {
            if (source.Length < V0Length)
            {
                return false;
            }

            cid = new Cid(source[..V0Length].ToArray(), 0, (ulong)Multicodec.DagPb, 0);
            bytesRead = V0Length;
            return true;
        }

        if (Varint.TryRead(source, out ulong version, out int versionLength) != OperationStatus.Done)
        {
            return false;
        }

        if (version != 1)
        {
            throw new CidFormatException(version == Sha256Code
                ? "A sha2-256 multihash used as a CIDv0 must have a 32-byte digest."
                : $"Unsupported CID version {version}.");
        }

        if (Varint.TryRead(source[versionLength..], out ulong codec, out int codecLength) != OperationStatus.Done)
        {
            return false;
        }

        int hashOffset = versionLength + codecLength;
        if (!Multihash.TryRead(source[hashOffset..], out _, out int hashLength))
        {
            return false;
        }

        bytesRead = hashOffset + hashLength;
        cid = new Cid(source[..bytesRead].ToArray(), 1, codec, hashOffset);
        return true;
    }

    /// <summary>Reads a binary CID from the start of <paramref name="source"/>; a truncated one is an error.</summary>
    public static Cid Read(ReadOnlySpan<byte> source, out int bytesRead)
    {
        return TryRead(source, out Cid cid, out bytesRead)
            ? cid
            : throw new CidFormatException("The input ends inside a CID.");
    }

    /// <summary>Parses bytes that hold exactly one binary CID.</summary>
    public static Cid FromBytes(ReadOnlySpan<byte> source)
    {
        Cid cid = Read(source, out int bytesRead);
        return bytesRead == source.Length
            ? cid
            : throw new CidFormatException($"{source.Length - bytesRead} bytes follow the CID.");
    }

    /// <summary>Parses a CID string: a CIDv0 in base58btc, or a CIDv1 in any multibase.</summary>
    public static Cid Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return Parse(text.AsSpan());
    }

    /// <inheritdoc cref="Parse(string)"/>
    public static Cid Parse(ReadOnlySpan<char> text)
    {
        if (text.IsEmpty)
        {
            throw new CidFormatException("An empty string is not a CID.");
        }

        if (text.Length > MaxTextLength)
        {
            // Checked before decoding: base58 and base36 decoding take time quadratic in the length.
            throw new CidFormatException($"A CID string of {text.Length} characters is too long (at most {MaxTextLength}).");
        }

        try
        {
            if (text.Length == 46 && text.StartsWith("Qm", StringComparison.Ordinal))
            {
                Cid v0 = FromBytes(Multibase.DecodeWithoutPrefix(MultibaseEncoding.Base58Btc, text));
                return v0.Version == 0 ? v0 : throw new CidFormatException("A 'Qm…' CID must be a CIDv0.");
            }

            Cid cid = FromBytes(Multibase.Decode(text));
            return cid.Version == 1 ? cid : throw new CidFormatException("A CIDv0 must be written in base58btc without a prefix.");
        }
        catch (MultiformatsException ex) when (ex is not CidFormatException)
        {
            throw new CidFormatException($"'{Shorten(text)}' is not a CID: {ex.Message}", ex);
        }
    }

    /// <summary>Parses a CID string; false when it is not one.</summary>
    public static bool TryParse(ReadOnlySpan<char> text, out Cid cid)
    {
        try
        {
            cid = Parse(text);
            return true;
        }
        catch (MultiformatsException)
        {
            cid = default;
            return false;
        }
    }

    /// <inheritdoc cref="TryParse(ReadOnlySpan{char}, out Cid)"/>
    public static bool TryParse([NotNullWhen(true)] string? text, out Cid cid)
    {
        if (text is null)
        {
            cid = default;
            return false;
        }

        return TryParse(text.AsSpan(), out cid);
    }

    /// <summary>This CID as version 1 (a CIDv1 is returned as it is).</summary>
    public Cid ToV1() => Version == 1 ? this : CreateV1(CodecCode, Hash);

    /// <summary>This CID as version 0; only dag-pb CIDs with a 32-byte sha2-256 hash have one.</summary>
    public Cid ToV0()
    {
        if (Version == 0)
        {
            return this;
        }

        return CodecCode == (ulong)Multicodec.DagPb
            ? CreateV0(Hash)
            : throw new CidFormatException($"Only dag-pb CIDs have a version 0 form, not {MulticodecTable.NameOf(CodecCode)}.");
    }

    public int WriteTo(Span<byte> destination)
    {
        Bytes.CopyTo(destination);
        return Bytes.Length;
    }

    public void WriteTo(IBufferWriter<byte> writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.Write(Bytes);
    }

    public byte[] ToArray() => Bytes.ToArray();

    /// <summary>The canonical text: base58btc for CIDv0, base32 (lower case) for CIDv1.</summary>
    public override string ToString() => IsEmpty
        ? string.Empty
        : Version == 0
            ? Multibase.EncodeWithoutPrefix(MultibaseEncoding.Base58Btc, Bytes)
            : Multibase.Encode(MultibaseEncoding.Base32, Bytes);

    /// <summary>The text in a chosen multibase; a CIDv0 can only be written in base58btc.</summary>
    public string ToString(MultibaseEncoding encoding)
    {
        if (Version == 0)
        {
            return encoding == MultibaseEncoding.Base58Btc
                ? ToString()
                : throw new CidFormatException("A CIDv0 can only be written in base58btc; convert it to v1 first.");
        }

        return Multibase.Encode(encoding, Bytes);
    }

    public string ToString(string? format, IFormatProvider? formatProvider) => ToString();

    public bool TryFormat(Span<char> destination, out int charsWritten, ReadOnlySpan<char> format, IFormatProvider? provider)
    {
        string text = ToString();
        if (text.TryCopyTo(destination))
        {
            charsWritten = text.Length;
            return true;
        }

        charsWritten = 0;
        return false;
    }

    public bool Equals(Cid other) => Bytes.SequenceEqual(other.Bytes);

    public override bool Equals(object? obj) => obj is Cid other && Equals(other);

    public override int GetHashCode()
    {
        // The digest is uniformly random, so its first bytes are as good a hash as all of the CID.
        ReadOnlySpan<byte> bytes = Bytes;
        var hash = new HashCode();
        hash.Add(bytes.Length);
        hash.AddBytes(bytes.Length > 24 ? bytes[^16..] : bytes);
        return hash.ToHashCode();
    }

    public static bool operator ==(Cid left, Cid right) => left.Equals(right);

    public static bool operator !=(Cid left, Cid right) => !left.Equals(right);

    private static string Shorten(ReadOnlySpan<char> text) => text.Length <= 80 ? text.ToString() : string.Concat(text[..77], "...");
}
