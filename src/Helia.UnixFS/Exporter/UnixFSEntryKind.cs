namespace Helia.UnixFS.Exporter;

/// <summary>What a resolved node is.</summary>
public enum UnixFSEntryKind
{
    /// <summary>A raw block (codec raw): file bytes.</summary>
    RawFile,

    /// <summary>A UnixFS file (or raw-typed) dag-pb node.</summary>
    File,

    Directory,

    /// <summary>A HAMT-sharded directory.</summary>
    ShardedDirectory,

    Symlink,

    /// <summary>A UnixFS metadata node (deprecated).</summary>
    Metadata,
}
