using Helia.Multiformats;

namespace Helia.Bitswap.Messages;

/// <summary>A HAVE or DONT_HAVE answer for one CID.</summary>
public readonly record struct BlockPresence(Cid Cid, BlockPresenceType Type);
