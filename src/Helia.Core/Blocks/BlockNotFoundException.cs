using Helia.Multiformats;

namespace Helia.Core.Blocks;

/// <summary>The block is not in the store (and, for a networked store, could not be fetched).</summary>
public sealed class BlockNotFoundException : HeliaException
{
    public BlockNotFoundException(Cid cid)
        : base($"Block {cid} was not found.")
    {
        Cid = cid;
    }

    public BlockNotFoundException(Cid cid, string message)
        : base(message)
    {
        Cid = cid;
    }

    public Cid Cid { get; }
}
