namespace Helia.UnixFS.Importer;

/// <summary>How a directory's size is estimated to decide whether it becomes a HAMT (IPIP-499).</summary>
public enum ShardSplitStrategy
{
    /// <summary>The sum of link name and CID bytes (go-unixfs since 2021, JS Helia's default).</summary>
    LinksBytes,

    /// <summary>The exact size of the encoded directory block (unixfs-v1-2025).</summary>
    BlockBytes,
}
