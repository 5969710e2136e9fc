using Helia.Bitswap.Messages;

namespace Helia.Bitswap;

/// <summary>Limits and timings of a Bitswap node; checked by <see cref="Validate"/> in <see cref="BitswapService"/>'s constructor.</summary>
public sealed class BitswapOptions
{
    public const int DefaultMaxWantsPerPeer = 1024;
    public const int DefaultMaxInlineBlockSize = 1024;
    public const int DefaultMaxInFlightBytesPerPeer = 4 * 1024 * 1024;
    public const int DefaultEngineWorkers = 4;
    public const int DefaultMaxUnwantedBlocksPerPeer = 8;
    public const int DefaultRecentWantsCapacity = 16384;
    public const int DefaultMaxInboundStreamsPerPeer = 1024;
    public static readonly TimeSpan DefaultRebroadcastInterval = TimeSpan.FromSeconds(1);

    /// <summary>Messages we read or write are at most this large (the spec's 4 MiB).</summary>
    public int MaxMessageSize { get; init; } = BitswapMessageCodec.MaxMessageSize;

    /// <summary>Wants a peer may have open with us; a peer that asks for more is cut off.</summary>
    public int MaxWantsPerPeer { get; init; } = DefaultMaxWantsPerPeer;

    /// <summary>A want-have for a block this small is answered with the block itself.</summary>
    public int MaxInlineBlockSize { get; init; } = DefaultMaxInlineBlockSize;

    /// <summary>Bytes the server sends per second to all peers together; 0 means no cap.</summary>
    public long MaxBytesPerSecond { get; init; }

    /// <summary>Block bytes the server has handed to one peer's stream and not yet seen flushed.</summary>
    public int MaxInFlightBytesPerPeer { get; init; } = DefaultMaxInFlightBytesPerPeer;

    /// <summary>How many peers the server serves at once.</summary>
    public int EngineWorkers { get; init; } = DefaultEngineWorkers;

    /// <summary>Blocks a peer may send that we never asked for (nor recently wanted) before we disconnect it.</summary>
    public int MaxUnwantedBlocksPerPeer { get; init; } = DefaultMaxUnwantedBlocksPerPeer;

    /// <summary>How many recently completed or cancelled wants are remembered to tell duplicates from unwanted blocks.</summary>
    public int RecentWantsCapacity { get; init; } = DefaultRecentWantsCapacity;

    /// <summary>
    /// Bitswap streams one connection may have open towards us at once (per protocol version); more are reset, and the
    /// message on them is lost. Old peers open a stream for every message they send (ipfs-bitswap, the js-ipfs Bitswap,
    /// sends each block on its own stream and does not resend it), so a burst of blocks arrives on that many concurrent
    /// streams: the host's default of 32 is far too few. 1024 is what ipfs-bitswap and @helia/bitswap allow.
    /// </summary>
    public int MaxInboundStreamsPerPeer { get; init; } = DefaultMaxInboundStreamsPerPeer;

    /// <summary>How long a session waits for an answer before it asks again (and then asks content routing).</summary>
    public TimeSpan RebroadcastInterval { get; init; } = DefaultRebroadcastInterval;

    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxMessageSize, 1024, nameof(MaxMessageSize));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(MaxMessageSize, BitswapMessageCodec.MaxMessageSize, nameof(MaxMessageSize));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(MaxWantsPerPeer, nameof(MaxWantsPerPeer));
        ArgumentOutOfRangeException.ThrowIfNegative(MaxInlineBlockSize, nameof(MaxInlineBlockSize));
        ArgumentOutOfRangeException.ThrowIfNegative(MaxBytesPerSecond, nameof(MaxBytesPerSecond));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(MaxInFlightBytesPerPeer, nameof(MaxInFlightBytesPerPeer));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(EngineWorkers, nameof(EngineWorkers));
        ArgumentOutOfRangeException.ThrowIfNegative(MaxUnwantedBlocksPerPeer, nameof(MaxUnwantedBlocksPerPeer));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(RecentWantsCapacity, nameof(RecentWantsCapacity));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(MaxInboundStreamsPerPeer, nameof(MaxInboundStreamsPerPeer));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(RebroadcastInterval, TimeSpan.Zero, nameof(RebroadcastInterval));
    }
}
