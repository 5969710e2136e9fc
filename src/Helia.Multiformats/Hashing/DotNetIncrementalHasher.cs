using System.Security.Cryptography;

namespace Helia.Multiformats.Hashing;

/// <summary>An <see cref="IncrementalHasher"/> over .NET's <see cref="IncrementalHash"/> (SHA-1, SHA-2, SHA-3).</summary>
internal sealed class DotNetIncrementalHasher(ulong code, HashAlgorithmName algorithm, int digestLength)
    : IncrementalHasher(code, digestLength)
{
    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(algorithm);

    public override void Append(ReadOnlySpan<byte> data) => _hash.AppendData(data);

    protected override void FinishCore(Span<byte> destination) => _hash.GetHashAndReset(destination);

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _hash.Dispose();
        }
    }
}
