using Helia.Core.Repo;
using Helia.Multiformats;

namespace Helia.Cli;

/// <summary>
/// The repo folder as the CLI sees it (Kubo's IPFS_PATH): --repo, else $HELIA_PATH, else ~/.helia. The repo itself
/// (config, version, blocks/, datastore/, repo.lock) is Helia.Core's <see cref="Repo"/>; the CLI adds only the
/// <c>api</c> file, which a running daemon writes with its RPC address (Kubo's per-daemon file).
/// </summary>
internal sealed class CliRepo
{
    public const string ApiFileName = "api";

    public CliRepo(string path)
    {
        Path = System.IO.Path.GetFullPath(path);
    }

    public string Path { get; }

    public bool IsInitialized => Repo.Exists(Path);

    public string ApiFile => System.IO.Path.Combine(Path, ApiFileName);

    public static CliRepo Resolve(DirectoryInfo? option) => new(option?.FullName ?? Repo.DefaultPath);

    public void EnsureInitialized()
    {
        if (!IsInitialized)
        {
            throw new CliException($"no helia repo found in {Path}.\nplease run: 'helia init'");
        }
    }

    /// <summary>Opens the repo (taking its lock until the repo, or the node that owns it, is disposed).</summary>
    public async Task<Repo> OpenAsync(CancellationToken cancellationToken)
    {
        EnsureInitialized();
        try
        {
            return await Repo.OpenAsync(Path, cancellationToken);
        }
        catch (RepoNotFoundException)
        {
            throw new CliException($"no helia repo found in {Path}.\nplease run: 'helia init'");
        }
    }

    /// <summary>The running daemon's API address from &lt;repo&gt;/api, or null.</summary>
    public Multiaddr? ReadApiAddress()
    {
        try
        {
            string text = File.ReadAllText(ApiFile).Trim();
            return Multiaddr.TryParse(text, out Multiaddr? address) ? address : null;
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }
}
