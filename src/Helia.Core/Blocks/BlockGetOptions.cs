using Helia.Multiformats;

namespace Helia.Core.Blocks;

/// <summary>How a networked blockstore gets one block.</summary>
public sealed class BlockGetOptions
{
    public static readonly BlockGetOptions Default = new();

    /// <summary>Look only in the local store; never touch the network.</summary>
    public bool Offline { get; init; }

    /// <summary>Peers to ask first, besides the ones the brokers find.</summary>
    public IReadOnlyList<PeerInfo> Providers { get; init; } = [];

    /// <summary>Helia's onProgress, the .NET way.</summary>
    public IProgress<BlockProgress>? Progress { get; init; }
}
