namespace Helia.Core.Car;

/// <summary>Limits a <see cref="CarReader"/> enforces before it buffers anything a length prefix announces.</summary>
public sealed class CarReaderOptions
{
    /// <summary>The largest header (its dag-cbor bytes) accepted.</summary>
    public const int DefaultMaxHeaderLength = 1024 * 1024;

    /// <summary>The largest block accepted: 2 MiB, the block size Kubo and Bitswap accept.</summary>
    public const int DefaultMaxBlockLength = 2 * 1024 * 1024;

    /// <summary>The largest number of roots a header may name.</summary>
    public const int DefaultMaxRoots = 1024;

    public static CarReaderOptions Default { get; } = new();

    public int MaxHeaderLength { get; init; } = DefaultMaxHeaderLength;

    public int MaxBlockLength { get; init; } = DefaultMaxBlockLength;

    public int MaxRoots { get; init; } = DefaultMaxRoots;

    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxHeaderLength, 1, nameof(MaxHeaderLength));
        ArgumentOutOfRangeException.ThrowIfNegative(MaxBlockLength, nameof(MaxBlockLength));
        ArgumentOutOfRangeException.ThrowIfNegative(MaxRoots, nameof(MaxRoots));
    }
}
