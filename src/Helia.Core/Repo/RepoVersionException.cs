namespace Helia.Core.Repo;

/// <summary>The repo was written by a newer Helia.NET, in a layout this one does not know.</summary>
public sealed class RepoVersionException(string path, int version, int supported)
    : RepoException(path, $"The helia repo {path} has version {version}, newer than the version {supported} this program supports; upgrade helia.")
{
    public int Version { get; } = version;

    public int SupportedVersion { get; } = supported;
}
