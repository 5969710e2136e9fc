using Helia.Bitswap.Messages;
using Helia.Multiformats;

namespace Helia.Bitswap.Client;

/// <summary>Told about answers for a want it holds (a session). Called outside the client's lock; must not block.</summary>
internal interface IWantObserver
{
    void OnPresence(Want want, PeerId peer, BlockPresenceType type);

    /// <summary><paramref name="peer"/> sent the block that completes the want (called before the want completes).</summary>
    void OnBlock(Want want, PeerId peer);

    /// <summary>A peer we had asked for the want disconnected.</summary>
    void OnPeerGone(Want want, PeerId peer);
}
