namespace Helia.Core.Repo;

/// <summary>A file of the repo (config, version) is unreadable or malformed; the message names the file.</summary>
public sealed class RepoCorruptException : RepoException
{
    public RepoCorruptException(string path, string file, string reason)
        : base(path, $"The helia repo file {file} is corrupt: {reason}")
    {
        File = file;
        Reason = reason;
    }

    public RepoCorruptException(string path, string file, string reason, Exception innerException)
        : base(path, $"The helia repo file {file} is corrupt: {reason}", innerException)
    {
        File = file;
        Reason = reason;
    }

    /// <summary>The corrupt file.</summary>
    public string File { get; }

    /// <summary>What is wrong with it.</summary>
    public string Reason { get; }
}
