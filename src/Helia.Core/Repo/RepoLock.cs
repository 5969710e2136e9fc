namespace Helia.Core.Repo;

/// <summary>
/// The repo's <c>repo.lock</c>, held open with <see cref="FileShare.None"/>: on Unix .NET takes an exclusive flock(2)
/// on it, on Windows a share-mode lock. The operating system drops either when the process dies, however it dies,
/// so a killed daemon never leaves a stale lock. The file itself stays (as Kubo's does); only the lock matters.
/// </summary>
public sealed class RepoLock : IDisposable
{
    public const string FileName = "repo.lock";

    private readonly FileStream _stream;

    private RepoLock(FileStream stream, string path)
    {
        _stream = stream;
        Path = path;
    }

    /// <summary>The lock file.</summary>
    public string Path { get; }

    /// <summary>Takes the lock of the repo in <paramref name="repoPath"/>, or throws <see cref="RepoLockedException"/>.</summary>
    public static RepoLock Acquire(string repoPath)
    {
        string path = System.IO.Path.Combine(repoPath, FileName);
        try
        {
            return new RepoLock(new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, bufferSize: 1), path);
        }
        catch (IOException ex) when (ex is not FileNotFoundException and not DirectoryNotFoundException)
        {
            throw new RepoLockedException(repoPath, path, ex);
        }
    }

    public void Dispose() => _stream.Dispose();
}
