namespace Helia.Core.Repo;

/// <summary>The base of the repo's errors; each subclass names one reason a repo cannot be created or opened.</summary>
public class RepoException : HeliaException
{
    public RepoException(string path, string message)
        : base(message)
    {
        RepoPath = path;
    }

    public RepoException(string path, string message, Exception innerException)
        : base(message, innerException)
    {
        RepoPath = path;
    }

    /// <summary>The repo folder.</summary>
    public string RepoPath { get; }
}
