using Helia.Multiformats;

namespace Helia.Bitswap.Messages;

/// <summary>One entry of a wantlist: a want for <paramref name="Cid"/>, or its cancellation.</summary>
/// <param name="Cid">The block wanted.</param>
/// <param name="Priority">Higher is served first.</param>
/// <param name="Cancel">True when this revokes an earlier want.</param>
/// <param name="WantType">The block itself, or only whether the peer has it.</param>
/// <param name="SendDontHave">Ask the peer to answer DONT_HAVE when it lacks the block.</param>
public readonly record struct WantlistEntry(
    Cid Cid,
    int Priority = WantlistEntry.DefaultPriority,
    bool Cancel = false,
    WantType WantType = WantType.Block,
    bool SendDontHave = false)
{
    public const int DefaultPriority = 1;

    public static WantlistEntry CancelFor(Cid cid) => new(cid, 0, Cancel: true);
}
