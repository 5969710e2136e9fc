using System.Collections.Concurrent;
using Helia.Multiformats.Hashing;

namespace Helia.Multiformats;

/// <summary>
/// The registry of hash functions, by multicodec code. Every block received from the network is verified with the
/// function its CID names, so a function missing here means such blocks cannot be accepted.
/// </summary>
public static class MultihashHashers
{
    private static readonly ConcurrentDictionary<ulong, MultihashHasher> s_hashers = new();

    static MultihashHashers()
    {
        Register(IdentityHasher.Instance);
        Register(Sha2Hasher.Sha256);
        Register(Sha2Hasher.Sha512);
        Register(Sha2Hasher.Sha1);
        Register(Sha3Hasher.Sha3_224);
        Register(Sha3Hasher.Sha3_256);
        Register(Sha3Hasher.Sha3_384);
        Register(Sha3Hasher.Sha3_512);
        Register(DigestHasher.Keccak256);
        Register(DigestHasher.Keccak512);
        Register(DigestHasher.Blake2b256);
        Register(DigestHasher.Blake2b512);
        Register(DigestHasher.Blake2s256);
        Register(DigestHasher.Blake3);
    }

    /// <summary>Every registered function.</summary>
    public static IEnumerable<MultihashHasher> All => s_hashers.Values.OrderBy(h => h.Code);

    /// <summary>Adds or replaces a hash function.</summary>
    public static void Register(MultihashHasher hasher)
    {
        ArgumentNullException.ThrowIfNull(hasher);
        s_hashers[hasher.Code] = hasher;
    }

    public static bool TryGet(ulong code, out MultihashHasher hasher) => s_hashers.TryGetValue(code, out hasher!);

    /// <summary>The function for <paramref name="code"/>; throws <see cref="MultihashException"/> when we have none.</summary>
    public static MultihashHasher Get(ulong code) =>
        s_hashers.TryGetValue(code, out MultihashHasher? hasher)
            ? hasher
            : throw new MultihashException($"Unsupported hash function 0x{code:x}.");

    /// <inheritdoc cref="Get(ulong)"/>
    public static MultihashHasher Get(Multicodec code) => Get((ulong)code);

    /// <summary>The function's name for messages: the registered name, else the multicodec table's, else the code in hex.</summary>
    public static string NameOf(ulong code) =>
        s_hashers.TryGetValue(code, out MultihashHasher? hasher) ? hasher.Name : MulticodecTable.NameOf(code);
}
