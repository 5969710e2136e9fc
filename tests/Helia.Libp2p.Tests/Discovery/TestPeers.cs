using Helia.Multiformats;

namespace Helia.Libp2p.Tests.Discovery;

/// <summary>Distinct, valid peer ids for tests that need no keys: sha2-256 multihashes of a number.</summary>
internal static class TestPeers
{
    public static PeerId Create(int seed) => PeerId.FromMultihash(Multihash.Compute(Multicodec.Sha2_256, BitConverter.GetBytes(seed)));
}
