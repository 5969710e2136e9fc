namespace Helia.Multiformats;

/// <summary>A multihash that is truncated, too long, or names a hash function we cannot compute.</summary>
public sealed class MultihashException(string message) : MultiformatsException(message);
