using Helia.Multiformats;

namespace Helia.UnixFS.Exporter;

/// <summary>A directory entry as listed: its name, CID and the cumulative size its link declares.</summary>
public readonly record struct UnixFSLink(string Name, Cid Cid, ulong Tsize);
