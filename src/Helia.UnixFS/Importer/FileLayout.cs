namespace Helia.UnixFS.Importer;

/// <summary>How a file's chunks are arranged into a tree.</summary>
public enum FileLayout
{
    /// <summary>Leaves in order, grouped by at most MaxChildrenPerNode per node, level by level.</summary>
    Balanced,

    /// <summary>
    /// The trickle DAG, optimised for reading from the start: leaves first, then ever deeper subtrees, four of each depth
    /// (Kubo's <c>--trickle</c>, ipfs-unixfs-importer's <c>trickle()</c>).
    /// </summary>
    Trickle,
}
