using System.Buffers;
using System.Security.Cryptography;

namespace Helia.Multiformats.Hashing;

/// <summary>One hash function a multihash can name: computes digests and checks data against them.</summary>
public abstract class MultihashHasher
{
    /// <summary>The buffer size <see cref="ComputeAsync(Stream, CancellationToken)"/> reads a stream with.</summary>
    public const int StreamBufferSize = 64 * 1024;

    /// <summary>The multicodec code of the function.</summary>
    public abstract ulong Code { get; }

    /// <summary>The multicodec table's name, e.g. "sha2-256".</summary>
    public abstract string Name { get; }

    /// <summary>The digest length this function produces by default.</summary>
    public abstract int DigestLength { get; }

    /// <summary>Hashes <paramref name="data"/> into <paramref name="destination"/>, which is <see cref="DigestLength"/> bytes long.</summary>
    public abstract void Hash(ReadOnlySpan<byte> data, Span<byte> destination);

    /// <summary>Starts hashing data that arrives in pieces (a stream, a pipe, the blocks of a file).</summary>
    public abstract IncrementalHasher CreateIncremental();

    /// <summary>Hashes <paramref name="data"/> into a multihash with the full digest.</summary>
    public virtual Multihash ComputeMultihash(ReadOnlySpan<byte> data)
    {
        Span<byte> digest = stackalloc byte[DigestLength];
        Hash(data, digest);
        return Multihash.Create(Code, digest);
    }

    /// <summary>Hashes the rest of <paramref name="stream"/>, reading it in pooled chunks (the input is never held whole).</summary>
    public async ValueTask<Multihash> ComputeAsync(Stream stream, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        using IncrementalHasher hasher = CreateIncremental();
        byte[] buffer = ArrayPool<byte>.Shared.Rent(StreamBufferSize);
        try
        {
            int read;
            while ((read = await stream.ReadAsync(buffer.AsMemory(0, StreamBufferSize), cancellationToken)) > 0)
            {
                hasher.Append(buffer.AsSpan(0, read));
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        return hasher.FinishMultihash();
    }

    /// <summary>
    /// True when <paramref name="data"/> hashes to <paramref name="multihash"/>'s digest. A multihash may carry a
    /// truncated digest (its length is on the wire), so the computed digest's prefix is compared.
    /// </summary>
    public virtual bool Matches(Multihash multihash, ReadOnlySpan<byte> data)
    {
        ReadOnlySpan<byte> expected = multihash.Digest;
        if (multihash.Code != Code || expected.Length == 0 || expected.Length > DigestLength)
        {
            return false;
        }

        Span<byte> digest = stackalloc byte[DigestLength];
        Hash(data, digest);
        return CryptographicOperations.FixedTimeEquals(digest[..expected.Length], expected);
    }
}
