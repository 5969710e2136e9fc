namespace Helia.UnixFS;

/// <summary>A path names an entry that the directory does not have.</summary>
public sealed class UnixFSPathNotFoundException(string path, string message) : UnixFSException(message)
{
    /// <summary>The part of the path that was resolved up to the missing entry, including it.</summary>
    public string Path { get; } = path;
}
