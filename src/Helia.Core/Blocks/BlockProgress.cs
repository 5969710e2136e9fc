using Helia.Multiformats;

namespace Helia.Core.Blocks;

/// <summary>
/// One step of getting a block (Helia's progress events), e.g. "bitswap:want-block:send" or
/// "blocks:get:providers:found"; <see cref="Peer"/> is set when the step concerns one peer.
/// </summary>
public readonly record struct BlockProgress(string Name, Cid Cid, PeerId? Peer = null);
