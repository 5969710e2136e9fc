namespace Helia.Core.Repo;

/// <summary>Another process (or another open in this one) holds the repo's lock.</summary>
public sealed class RepoLockedException(string path, string lockFile, Exception innerException)
    : RepoException(path, $"The helia repo {path} is in use by another process (is a daemon running?): cannot lock {lockFile}.", innerException)
{
    public string LockFile { get; } = lockFile;
}
