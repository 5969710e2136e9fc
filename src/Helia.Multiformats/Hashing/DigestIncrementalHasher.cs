using Org.BouncyCastle.Crypto;

namespace Helia.Multiformats.Hashing;

/// <summary>An <see cref="IncrementalHasher"/> over a BouncyCastle digest (keccak, BLAKE2, BLAKE3, SHA3 fallback).</summary>
internal sealed class DigestIncrementalHasher(ulong code, IDigest digest, int digestLength)
    : IncrementalHasher(code, digestLength)
{
    public override void Append(ReadOnlySpan<byte> data) => digest.BlockUpdate(data);

    protected override void FinishCore(Span<byte> destination)
    {
        // DoFinal resets the digest.
        digest.DoFinal(destination);
    }
}
