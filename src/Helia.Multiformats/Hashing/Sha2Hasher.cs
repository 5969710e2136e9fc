using System.Security.Cryptography;

namespace Helia.Multiformats.Hashing;

/// <summary>sha1, sha2-256 and sha2-512 through .NET's own implementations (hardware accelerated where the CPU allows).</summary>
public sealed class Sha2Hasher : MultihashHasher
{
    public static readonly Sha2Hasher Sha256 = new(Multicodec.Sha2_256, "sha2-256", HashAlgorithmName.SHA256, SHA256.HashSizeInBytes);

    public static readonly Sha2Hasher Sha512 = new(Multicodec.Sha2_512, "sha2-512", HashAlgorithmName.SHA512, SHA512.HashSizeInBytes);

    /// <summary>sha1: broken for collisions, but a multihash may name it, and the spec's vectors use it.</summary>
    public static readonly Sha2Hasher Sha1 = new(Multicodec.Sha1, "sha1", HashAlgorithmName.SHA1, SHA1.HashSizeInBytes);

    private readonly HashAlgorithmName _algorithm;

    private Sha2Hasher(Multicodec code, string name, HashAlgorithmName algorithm, int digestLength)
    {
        Code = (ulong)code;
        Name = name;
        _algorithm = algorithm;
        DigestLength = digestLength;
    }

    public override ulong Code { get; }

    public override string Name { get; }

    public override int DigestLength { get; }

    public override void Hash(ReadOnlySpan<byte> data, Span<byte> destination)
    {
        switch (DigestLength)
        {
            case SHA256.HashSizeInBytes:
                SHA256.HashData(data, destination);
                break;
            case SHA512.HashSizeInBytes:
                SHA512.HashData(data, destination);
                break;
            default:
                SHA1.HashData(data, destination);
                break;
        }
    }

    public override IncrementalHasher CreateIncremental() => new DotNetIncrementalHasher(Code, _algorithm, DigestLength);
}
