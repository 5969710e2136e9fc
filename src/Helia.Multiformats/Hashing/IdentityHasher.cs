namespace Helia.Multiformats.Hashing;

/// <summary>The identity "hash": the digest is the data itself, bounded by <see cref="Multihash.MaxDigestLength"/>.</summary>
public sealed class IdentityHasher : MultihashHasher
{
    public static readonly IdentityHasher Instance = new();

    private IdentityHasher()
    {
    }

    public override ulong Code => (ulong)Multicodec.Identity;

    public override string Name => "identity";

    /// <summary>Identity digests have the data's length; this is the most we accept.</summary>
    public override int DigestLength => Multihash.MaxDigestLength;

    public override void Hash(ReadOnlySpan<byte> data, Span<byte> destination)
    {
        if (data.Length > Multihash.MaxDigestLength)
        {
            throw new MultihashException($"Identity multihashes hold at most {Multihash.MaxDigestLength} bytes, not {data.Length}.");
        }

        data.CopyTo(destination);
    }

    public new Multihash ComputeMultihash(ReadOnlySpan<byte> data)
    {
        if (data.Length > Multihash.MaxDigestLength)
        {
            throw new MultihashException($"Identity multihashes hold at most {Multihash.MaxDigestLength} bytes, not {data.Length}.");
        }

        return Multihash.Create(Code, data);
    }

    public override bool Matches(Multihash multihash, ReadOnlySpan<byte> data) =>
        multihash.Code == Code && multihash.Digest.SequenceEqual(data);
}
