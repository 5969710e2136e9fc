using Helia.Multiformats;

namespace Helia.Core.Blocks;

/// <summary>A block: its CID and its bytes. The bytes belong to whoever holds the block and are never changed.</summary>
public readonly record struct Block(Cid Cid, ReadOnlyMemory<byte> Bytes);
