using Helia.Multiformats;

namespace Helia.Bitswap.Client;

/// <summary>Told when Bitswap gains or loses a peer (sessions). Called outside the client's lock; must not block.</summary>
internal interface IPeerListener
{
    void OnPeerConnected(PeerId peer);

    void OnPeerDisconnected(PeerId peer);
}
