namespace Helia.Core.Repo;

/// <summary>Init found a repo already there; it never overwrites one.</summary>
public sealed class RepoExistsException(string path)
    : RepoException(path, $"A helia repo already exists in {path}; init refuses to overwrite it.");
