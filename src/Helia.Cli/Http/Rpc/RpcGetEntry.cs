using Helia.Multiformats;

namespace Helia.Cli.Http.Rpc;

/// <summary>What one entry of a get archive is.</summary>
public enum RpcEntryKind
{
    File,
    Directory,
    Symlink,
}

/// <summary>
/// One entry of the tree the get endpoint archives: <paramref name="Path"/> is relative to the root ("" for the root
/// itself, "a/b.txt" below it), <paramref name="Size"/> the file's byte count (the DAG's size for the root directory, as
/// Kubo reports it), <paramref name="Mode"/> and <paramref name="ModTime"/> the UnixFS metadata when the DAG has it.
/// </summary>
public sealed record RpcGetEntry(string Path, RpcEntryKind Kind, Cid Cid, ulong Size, string? SymlinkTarget = null, uint? Mode = null, DateTimeOffset? ModTime = null)
{
    /// <summary>True for a directory entry name that stays inside its directory on every OS: not empty, ".", "..", and no separator or NUL.</summary>
    public static bool IsSafeName(ReadOnlySpan<char> name) =>
        name.Length > 0 && name is not "." and not ".." && name.IndexOfAny('/', '\\', '\0') < 0;
}
