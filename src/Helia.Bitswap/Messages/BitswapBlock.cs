using Helia.Multiformats;

namespace Helia.Bitswap.Messages;

/// <summary>
/// A block carried by a message. On receipt, <see cref="Cid"/> is rebuilt from the CID prefix the sender gave and the
/// digest of <see cref="Data"/> computed here, so the bytes always hash to the CID: a block is wanted only when this
/// CID's multihash equals a wanted one.
/// </summary>
public readonly record struct BitswapBlock(Cid Cid, ReadOnlyMemory<byte> Data);
