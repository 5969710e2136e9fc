using Helia.Multiformats;

namespace Helia.UnixFS.Importer;

/// <summary>
/// A node the importer has written: its CID, the cumulative size of its DAG (what a parent link's Tsize holds) and
/// the file bytes under it (what a parent file node's blocksizes hold).
/// </summary>
public readonly record struct DagNode(Cid Cid, ulong Size, ulong FileBytes);
