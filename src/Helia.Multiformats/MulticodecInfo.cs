namespace Helia.Multiformats;

/// <summary>One row of the multicodec table: the code, its name, its tag (multihash, ipld, multiaddr, …) and status.</summary>
public readonly record struct MulticodecInfo(Multicodec Code, string Name, string Tag, string Status);
