using Helia.Multiformats;

namespace Helia.Core.Blocks;

/// <summary>The bytes of a block do not hash to its CID, or do not decode with its codec.</summary>
public sealed class InvalidBlockException(Cid cid, string message) : HeliaException(message)
{
    public Cid Cid { get; } = cid;
}
