namespace Helia.Bitswap.Messages;

/// <summary>The protocol versions, by what they change on the wire.</summary>
public enum BitswapProtocolVersion
{
    /// <summary>/ipfs/bitswap and /ipfs/bitswap/1.0.0: blocks without CID prefixes (CIDv0 only).</summary>
    V100 = 100,

    /// <summary>/ipfs/bitswap/1.1.0: blocks as payload with CID prefixes.</summary>
    V110 = 110,

    /// <summary>/ipfs/bitswap/1.2.0: want-have, HAVE/DONT_HAVE presences and pendingBytes.</summary>
    V120 = 120,
}
