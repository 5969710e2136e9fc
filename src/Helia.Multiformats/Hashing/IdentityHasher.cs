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
        CheckLength(data.Length);
        data.CopyTo(destination);
    }

    public override Multihash ComputeMultihash(ReadOnlySpan<byte> data)
    {
        CheckLength(data.Length);
        return Multihash.Create(Code, data);
    }

    public override IncrementalHasher CreateIncremental() => new Incremental();

    public override bool Matches(Multihash multihash, ReadOnlySpan<byte> data) =>
        multihash.Code == Code && multihash.Digest.SequenceEqual(data);

    private static void CheckLength(int length)
    {
        if (length > Multihash.MaxDigestLength)
        {
            throw new MultihashException($"Identity multihashes hold at most {Multihash.MaxDigestLength} bytes, not {length}.");
        }
    }

    /// <summary>Collects the input, up to the bound; its digest is only available as a whole multihash.</summary>
    private sealed class Incremental() : IncrementalHasher((ulong)Multicodec.Identity, Multihash.MaxDigestLength)
    {
        private readonly byte[] _buffer = new byte[Multihash.MaxDigestLength];
        private int _length;

        public override void Append(ReadOnlySpan<byte> data)
        {
            CheckLength(_length + data.Length);
            data.CopyTo(_buffer.AsSpan(_length));
            _length += data.Length;
        }

        public override Multihash FinishMultihash()
        {
            Multihash multihash = Multihash.Create(Code, _buffer.AsSpan(0, _length));
            _length = 0;
            return multihash;
        }

        protected override void FinishCore(Span<byte> destination) =>
            throw new NotSupportedException("An identity digest has the input's length; use FinishMultihash.");
    }
}
