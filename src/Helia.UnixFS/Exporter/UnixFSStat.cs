using Helia.Multiformats;

namespace Helia.UnixFS.Exporter;

/// <summary>What <c>stat</c> reports for a node.</summary>
public sealed record UnixFSStat(
    Cid Cid,
    UnixFSEntryKind Kind,
    ulong FileSize,
    ulong DagSize,
    int Blocks,
    uint Mode,
    UnixFSTime? Mtime);
