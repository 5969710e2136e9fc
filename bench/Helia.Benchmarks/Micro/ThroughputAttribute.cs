namespace Helia.Benchmarks.Micro;

/// <summary>Which of the machine's limits a rate is compared with.</summary>
internal enum LimitReference
{
    None,

    /// <summary>openssl's single-core SHA-256 rate.</summary>
    Sha256,

    /// <summary>openssl's single-core ChaCha20-Poly1305 rate.</summary>
    ChaCha20Poly1305,

    /// <summary>The same rate, shown with issue 3's target (a stream over Noise at 40% of it or more).</summary>
    ChaCha20Poly1305Issue3Target,

    /// <summary>Half of it: each byte is encrypted and then decrypted.</summary>
    ChaCha20Poly1305EncryptAndDecrypt,
}

/// <summary>Marks a benchmark that moves <see cref="Bytes"/> per operation, so the table shows it as a rate (MB/s).</summary>
[AttributeUsage(AttributeTargets.Method)]
internal sealed class ThroughputAttribute(long bytes, LimitReference reference = LimitReference.None) : Attribute
{
    public long Bytes { get; } = bytes;

    public LimitReference Reference { get; } = reference;
}
