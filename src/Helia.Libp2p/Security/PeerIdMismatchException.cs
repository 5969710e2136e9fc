using Helia.Multiformats;

namespace Helia.Libp2p.Security;

/// <summary>The remote peer authenticated as a different peer than the one we dialed (the address's /p2p/ part).</summary>
public sealed class PeerIdMismatchException(PeerId expected, PeerId actual)
    : Libp2pException($"Dialed peer {expected} but the remote peer authenticated as {actual}.")
{
    public PeerId Expected { get; } = expected;

    public PeerId Actual { get; } = actual;
}
