using Helia.Multiformats;

namespace Helia.Core.Blocks;

/// <summary>How a session finds the peers it fetches from.</summary>
public sealed class SessionOptions
{
    public const int DefaultMaxProviders = 5;

    public static readonly SessionOptions Default = new();

    /// <summary>Peers known to have the root; they join the session at once.</summary>
    public IReadOnlyList<PeerInfo> Providers { get; init; } = [];

    /// <summary>How many providers found through routing the session dials at most.</summary>
    public int MaxProviders { get; init; } = DefaultMaxProviders;

    public IProgress<BlockProgress>? Progress { get; init; }
}
