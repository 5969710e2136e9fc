namespace Helia.Multiformats;

/// <summary>An unsigned varint that is overlong, not minimally encoded, or out of range.</summary>
public sealed class VarintException(string message) : MultiformatsException(message);
