namespace Helia.Core.Repo;

/// <summary>There is no repo (no config file) in the folder.</summary>
public sealed class RepoNotFoundException(string path)
    : RepoException(path, $"No helia repo found in {path} (it has no config file); initialize one first (helia init).");
