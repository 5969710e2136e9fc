using System.Buffers;

namespace Helia.Multiformats;

/// <summary>
/// A self-describing digest (specs: multiformats/multihash): varint(hash function code) varint(digest length) digest.
/// Immutable; equal when the encoded bytes are equal, so it can key a dictionary (blockstores key blocks by it).
/// </summary>
public readonly struct Multihash : IEquatable<Multihash>
{
    /// <summary>The longest digest we accept. The largest real digests are 64 bytes; identity hashes are capped here too.</summary>
    public const int MaxDigestLength = 128;

    private readonly ReadOnlyMemory<byte> _bytes;
    private readonly int _digestOffset;

    private Multihash(ReadOnlyMemory<byte> bytes, ulong code, int digestOffset)
    {
        _bytes = bytes;
        Code = code;
        _digestOffset = digestOffset;
    }

    /// <summary>The hash function's multicodec code.</summary>
    public ulong Code { get; }

    /// <summary>The hash function, when it has a name in <see cref="Multicodec"/>.</summary>
    public Multicodec Algorithm => (Multicodec)Code;

    /// <summary>The digest bytes.</summary>
    public ReadOnlySpan<byte> Digest => _bytes.Span[_digestOffset..];

    /// <summary>The digest as memory (for storing or hashing without a copy).</summary>
    public ReadOnlyMemory<byte> DigestMemory => _bytes[_digestOffset..];

    /// <summary>The whole multihash, as it goes on the wire.</summary>
    public ReadOnlySpan<byte> Bytes => _bytes.Span;

    /// <summary>The whole multihash as memory.</summary>
    public ReadOnlyMemory<byte> Memory => _bytes;

    /// <summary>The number of bytes of the encoded multihash.</summary>
    public int EncodedLength => _bytes.Length;

    /// <summary>True for <c>default(Multihash)</c>, which holds nothing.</summary>
    public bool IsEmpty => _bytes.IsEmpty;

    /// <summary>Wraps an existing digest.</summary>
    public static Multihash Create(ulong code, ReadOnlySpan<byte> digest)
    {
        if (digest.Length > MaxDigestLength)
        {
            throw new MultihashException($"A digest of {digest.Length} bytes is longer than the {MaxDigestLength} we accept.");
        }

        int codeLength = Varint.GetLength(code);
        int lengthLength = Varint.GetLength((ulong)digest.Length);
        byte[] bytes = new byte[codeLength + lengthLength + digest.Length];
        Varint.Write(code, bytes);
        Varint.Write((ulong)digest.Length, bytes.AsSpan(codeLength));
        digest.CopyTo(bytes.AsSpan(codeLength + lengthLength));
        return new Multihash(bytes, code, codeLength + lengthLength);
    }

    /// <inheritdoc cref="Create(ulong, ReadOnlySpan{byte})"/>
    public static Multihash Create(Multicodec code, ReadOnlySpan<byte> digest) => Create((ulong)code, digest);

    /// <summary>Hashes <paramref name="data"/> with the named function (see <see cref="MultihashHashers"/>).</summary>
    public static Multihash Compute(Multicodec code, ReadOnlySpan<byte> data) => MultihashHashers.Get(code).ComputeMultihash(data);

    /// <summary>
    /// Reads a multihash from the start of <paramref name="source"/> and copies it. Returns false when the source
    /// ends inside it; throws <see cref="MultihashException"/> when it is malformed.
    /// </summary>
    public static bool TryRead(ReadOnlySpan<byte> source, out Multihash multihash, out int bytesRead)
    {
        multihash = default;
        bytesRead = 0;
        if (!TryReadHeader(source, out ulong code, out int digestLength, out int headerLength))
        {
            return false;
        }

        int total = headerLength + digestLength;
        if (source.Length < total)
        {
            return false;
        }

        multihash = new Multihash(source[..total].ToArray(), code, headerLength);
        bytesRead = total;
        return true;
    }

    /// <summary>Reads a multihash from the start of <paramref name="source"/>; a truncated one is an error.</summary>
    public static Multihash Read(ReadOnlySpan<byte> source, out int bytesRead)
    {
        return TryRead(source, out Multihash multihash, out bytesRead)
            ? multihash
            : throw new MultihashException("The input ends inside a multihash.");
    }

    /// <summary>Parses bytes that hold exactly one multihash.</summary>
    public static Multihash Parse(ReadOnlySpan<byte> source)
    {
        Multihash multihash = Read(source, out int bytesRead);
        return bytesRead == source.Length
            ? multihash
            : throw new MultihashException($"{source.Length - bytesRead} bytes follow the multihash.");
    }

    /// <summary>
    /// Wraps bytes that hold exactly one multihash without copying them; the caller must never change them.
    /// Used by <see cref="Cid"/>, whose multihash is a slice of its own bytes.
    /// </summary>
    internal static Multihash WrapExact(ReadOnlyMemory<byte> bytes)
    {
        if (!TryReadHeader(bytes.Span, out ulong code, out int digestLength, out int headerLength)
            || headerLength + digestLength != bytes.Length)
        {
            throw new MultihashException("The bytes do not hold exactly one multihash.");
        }

        return new Multihash(bytes, code, headerLength);
    }

    /// <summary>Hashes the rest of <paramref name="stream"/> with the named function, in chunks.</summary>
    public static ValueTask<Multihash> ComputeAsync(Multicodec code, Stream stream, CancellationToken cancellationToken = default) =>
        MultihashHashers.Get(code).ComputeAsync(stream, cancellationToken);

    /// <summary>True when <paramref name="data"/> hashes to this digest with this multihash's function.</summary>
    public bool Matches(ReadOnlySpan<byte> data) => MultihashHashers.Get(Code).Matches(this, data);

    public int WriteTo(Span<byte> destination)
    {
        _bytes.Span.CopyTo(destination);
        return _bytes.Length;
    }

    public void WriteTo(IBufferWriter<byte> writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.Write(_bytes.Span);
    }

    public byte[] ToArray() => _bytes.ToArray();

    public bool Equals(Multihash other) => _bytes.Span.SequenceEqual(other._bytes.Span);

    public override bool Equals(object? obj) => obj is Multihash other && Equals(other);

    public override int GetHashCode()
    {
        // Digests are uniformly random, so a few of their bytes hash as well as all of them.
        ReadOnlySpan<byte> digest = Digest;
        var hash = new HashCode();
        hash.Add(Code);
        hash.AddBytes(digest.Length > 16 ? digest[..16] : digest);
        return hash.ToHashCode();
    }

    public static bool operator ==(Multihash left, Multihash right) => left.Equals(right);

    public static bool operator !=(Multihash left, Multihash right) => !left.Equals(right);

    /// <summary>The hash function's name and the digest in hex, for logs and errors.</summary>
    public override string ToString() => IsEmpty ? "(empty)" : $"{MultihashHashers.NameOf(Code)}:{Convert.ToHexStringLower(Digest)}";

    private static bool TryReadHeader(ReadOnlySpan<byte> source, out ulong code, out int digestLength, out int headerLength)
    {
        digestLength = 0;
        headerLength = 0;
        if (Varint.TryRead(source, out code, out int codeLength) != OperationStatus.Done)
        {
            return false;
        }

        if (Varint.TryRead(source[codeLength..], out ulong length, out int lengthLength) != OperationStatus.Done)
        {
            return false;
        }

        if (length > MaxDigestLength)
        {
            throw new MultihashException($"A digest of {length} bytes is longer than the {MaxDigestLength} we accept.");
        }

        digestLength = (int)length;
        headerLength = codeLength + lengthLength;
        return true;
    }
}
