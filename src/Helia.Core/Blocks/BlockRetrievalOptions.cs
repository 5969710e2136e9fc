using Helia.Multiformats;

namespace Helia.Core.Blocks;

/// <summary>What a block broker is told when asked for one block.</summary>
public sealed class BlockRetrievalOptions
{
    public static readonly BlockRetrievalOptions Default = new();

    /// <summary>Peers to ask first.</summary>
    public IReadOnlyList<PeerInfo> Providers { get; init; } = [];

    public IProgress<BlockProgress>? Progress { get; init; }
}
