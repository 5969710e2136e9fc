namespace Helia.Cli.Http.Rpc;

/// <summary>
/// One entry of a directory upload, as the add endpoint received it: its relative path ("dir/sub/file") and what it
/// is: a directory (no content), a file spooled to <see cref="ContentFile"/>, or a symlink to <see cref="SymlinkTarget"/>.
/// </summary>
public sealed record RpcAddEntry(string Path, string? ContentFile = null, string? SymlinkTarget = null)
{
    public bool IsDirectory => ContentFile is null && SymlinkTarget is null;
}

/// <summary>One imported entry of a directory upload: its path (empty for the wrapping directory), CID and size.</summary>
public sealed record RpcAddedEntry(string Path, RpcAdded Added, bool IsRoot);
