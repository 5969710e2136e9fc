using Helia.Multiformats;

namespace Helia.Core.Pins;

/// <summary>An unpin of a CID that is not pinned directly or recursively.</summary>
public sealed class NotPinnedException(Cid cid) : HeliaException($"{cid} is not pinned.")
{
    public Cid Cid { get; } = cid;
}
