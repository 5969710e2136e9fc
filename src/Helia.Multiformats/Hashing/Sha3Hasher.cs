using System.Security.Cryptography;
using Org.BouncyCastle.Crypto.Digests;

namespace Helia.Multiformats.Hashing;

/// <summary>
/// sha3-224/256/384/512: .NET's own SHA-3 where the runtime supports it (OpenSSL 1.1.1+ on Linux, recent Windows),
/// else BouncyCastle. .NET has no SHA3-224, so that one is always BouncyCastle.
/// </summary>
public sealed class Sha3Hasher : MultihashHasher
{
    public static readonly Sha3Hasher Sha3_224 = new(Multicodec.Sha3_224, "sha3-224", 224, null);

    public static readonly Sha3Hasher Sha3_256 = new(Multicodec.Sha3_256, "sha3-256", 256, SHA3_256.IsSupported ? HashAlgorithmName.SHA3_256 : null);

    public static readonly Sha3Hasher Sha3_384 = new(Multicodec.Sha3_384, "sha3-384", 384, SHA3_384.IsSupported ? HashAlgorithmName.SHA3_384 : null);

    public static readonly Sha3Hasher Sha3_512 = new(Multicodec.Sha3_512, "sha3-512", 512, SHA3_512.IsSupported ? HashAlgorithmName.SHA3_512 : null);

    private readonly int _bits;
    private readonly HashAlgorithmName? _runtime;

    private Sha3Hasher(Multicodec code, string name, int bits, HashAlgorithmName? runtime)
    {
        Code = (ulong)code;
        Name = name;
        _bits = bits;
        _runtime = runtime;
    }

    public override ulong Code { get; }

    public override string Name { get; }

    public override int DigestLength => _bits / 8;

    /// <summary>True when the runtime's SHA-3 does the work, false when BouncyCastle does.</summary>
    public bool UsesRuntime => _runtime is not null;

    public override void Hash(ReadOnlySpan<byte> data, Span<byte> destination)
    {
        if (_runtime is null)
        {
            var digest = new Sha3Digest(_bits);
            digest.BlockUpdate(data);
            digest.DoFinal(destination);
            return;
        }

        switch (_bits)
        {
            case 256:
                SHA3_256.HashData(data, destination);
                break;
            case 384:
                SHA3_384.HashData(data, destination);
                break;
            default:
                SHA3_512.HashData(data, destination);
                break;
        }
    }

    public override IncrementalHasher CreateIncremental() => _runtime is { } algorithm
        ? new DotNetIncrementalHasher(Code, algorithm, DigestLength)
        : new DigestIncrementalHasher(Code, new Sha3Digest(_bits), DigestLength);
}
