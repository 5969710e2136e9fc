using Helia.Multiformats;

namespace Helia.Core.Pins;

/// <summary>A pinned CID and how it is pinned.</summary>
public readonly record struct Pin(Cid Cid, PinType Type);
