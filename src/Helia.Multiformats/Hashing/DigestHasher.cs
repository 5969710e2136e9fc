using System.Security.Cryptography;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Digests;

namespace Helia.Multiformats.Hashing;

/// <summary>Hash functions the runtime lacks, through BouncyCastle: keccak, BLAKE2b, BLAKE2s and BLAKE3.</summary>
public sealed class DigestHasher : MultihashHasher
{
    public static readonly DigestHasher Keccak256 = new(Multicodec.Keccak256, "keccak-256", 32, () => new KeccakDigest(256));

    public static readonly DigestHasher Keccak512 = new(Multicodec.Keccak512, "keccak-512", 64, () => new KeccakDigest(512));

    public static readonly DigestHasher Blake2b256 = new(Multicodec.Blake2b256, "blake2b-256", 32, () => new Blake2bDigest(256));

    public static readonly DigestHasher Blake2b512 = new(Multicodec.Blake2b512, "blake2b-512", 64, () => new Blake2bDigest(512));

    public static readonly DigestHasher Blake2s256 = new(Multicodec.Blake2s256, "blake2s-256", 32, () => new Blake2sDigest(256));

    /// <summary>
    /// BLAKE3 with its default 32-byte output (the length multihash uses by default). It is extendable: a multihash
    /// with a longer digest is verified against that much output (<see cref="Matches"/>).
    /// </summary>
    public static readonly DigestHasher Blake3 = new(Multicodec.Blake3, "blake3", 32, () => new Blake3Digest(256));

    private readonly Func<IDigest> _create;

    private DigestHasher(Multicodec code, string name, int digestLength, Func<IDigest> create)
    {
        Code = (ulong)code;
        Name = name;
        DigestLength = digestLength;
        _create = create;
    }

    public override ulong Code { get; }

    public override string Name { get; }

    public override int DigestLength { get; }

    public override void Hash(ReadOnlySpan<byte> data, Span<byte> destination)
    {
        IDigest digest = _create();
        digest.BlockUpdate(data);
        digest.DoFinal(destination);
    }

    /// <summary>
    /// For an extendable-output function (BLAKE3), a digest longer than <see cref="DigestLength"/> is compared with that
    /// many bytes of output (up to <see cref="Multihash.MaxDigestLength"/>); otherwise as the base class does.
    /// </summary>
    public override bool Matches(Multihash multihash, ReadOnlySpan<byte> data)
    {
        ReadOnlySpan<byte> expected = multihash.Digest;
        if (expected.Length <= DigestLength || multihash.Code != Code || _create() is not IXof xof)
        {
            return base.Matches(multihash, data);
        }

        Span<byte> output = stackalloc byte[expected.Length];   // at most Multihash.MaxDigestLength: Multihash bounds it
        xof.BlockUpdate(data);
        xof.OutputFinal(output);
        return CryptographicOperations.FixedTimeEquals(output, expected);
    }

    public override IncrementalHasher CreateIncremental() => new DigestIncrementalHasher(Code, _create(), DigestLength);
}
