using System.Security.Cryptography;

namespace Helia.Multiformats.Hashing;

/// <summary>sha2-256 and sha2-512 through .NET's own implementations (hardware accelerated where the CPU allows).</summary>
public sealed class Sha2Hasher : MultihashHasher
{
    public static readonly Sha2Hasher Sha256 = new(Multicodec.Sha2_256, "sha2-256", SHA256.HashSizeInBytes);

    public static readonly Sha2Hasher Sha512 = new(Multicodec.Sha2_512, "sha2-512", SHA512.HashSizeInBytes);

    private Sha2Hasher(Multicodec code, string name, int digestLength)
    {
        Code = (ulong)code;
        Name = name;
        DigestLength = digestLength;
    }

    public override ulong Code { get; }

    public override string Name { get; }

    public override int DigestLength { get; }

    public override void Hash(ReadOnlySpan<byte> data, Span<byte> destination)
    {
        if (DigestLength == SHA256.HashSizeInBytes)
        {
            SHA256.HashData(data, destination);
        }
        else
        {
            SHA512.HashData(data, destination);
        }
    }
}
