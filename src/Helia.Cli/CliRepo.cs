using Helia.Multiformats;

namespace Helia.Cli.Repo;

/// <summary>
/// The repo folder as the CLI sees it (Kubo's IPFS_PATH): identity.key and blocks/ (the node's layout), config.json
/// (swarm and API addresses), repo.lock while a daemon runs, and api (the live daemon's RPC address).
/// </summary>
internal sealed class CliRepo
{
    public const string KeyFileName = "identity.key";   // HeliaBuilder's name for the identity key
    public const string ApiFileName = "api";
    public const string LockFileName = "repo.lock";
    public const string ConfigFileName = "config.json";

    public CliRepo(string path)
    {
        Path = System.IO.Path.GetFullPath(path);
    }

    public string Path { get; }

    public bool IsInitialized => File.Exists(System.IO.Path.Combine(Path, KeyFileName));

    public string ApiFile => System.IO.Path.Combine(Path, ApiFileName);

    public static CliRepo Resolve(DirectoryInfo? option)
    {
        if (option is not null)
        {
            return new CliRepo(option.FullName);
        }

        string? env = Environment.GetEnvironmentVariable("HELIA_PATH");
        return new CliRepo(string.IsNullOrEmpty(env)
            ? System.IO.Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".helia")
            : env);
    }

    public void EnsureInitialized()
    {
        if (!IsInitialized)
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

    /// <summary>Takes the repo lock (held by a daemon or an offline command for its lifetime).</summary>
    public FileStream Lock()
    {
        try
        {
            return new FileStream(System.IO.Path.Combine(Path, LockFileName), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.DeleteOnClose);
        }
        catch (IOException)
        {
            throw new CliException($"cannot acquire lock: the repo {Path} is in use by another process (is a daemon running?)");
        }
    }
}
