namespace Helia.UnixFS;

/// <summary>The UnixFS node types (specs: ipfs/unixfs.md, the DataType enum of unixfs.proto).</summary>
public enum UnixFSType
{
    Raw = 0,
    Directory = 1,
    File = 2,
    Metadata = 3,
    Symlink = 4,
    HamtShard = 5,
}
