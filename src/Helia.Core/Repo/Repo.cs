using System.Globalization;
using System.Text;
using Helia.Core.Blocks;
using Helia.Core.Datastore;
using Helia.Core.IO;
using Microsoft.Extensions.Logging;
using Microsoft.Win32.SafeHandles;

namespace Helia.Core.Repo;

/// <summary>
/// The node's folder on disk (Kubo's IPFS_PATH): <c>config</c> (JSON: identity, addresses, options), <c>version</c>,
/// <c>blocks/</c> (flatfs, Kubo's layout, with its SHARDING file), <c>datastore/</c> (SQLite) and <c>repo.lock</c>,
/// which an open repo holds so that a second process (or a second open) cannot use the repo at the same time.
/// The config is the mark of a repo: init writes it last, and refuses a folder that has one.
/// Config and version are replaced atomically (temporary file, fsync, rename), so a crash leaves the old or the new
/// file whole. Dispose closes the stores and releases the lock.
/// </summary>
public sealed partial class Repo : IAsyncDisposable
{
    /// <summary>The layout this code writes and the newest it can open.</summary>
    public const int CurrentVersion = 1;

    public const string ConfigFileName = "config";
    public const string VersionFileName = "version";
    public const string BlocksFolder = "blocks";
    public const string DatastoreFolder = "datastore";
    public const string DatastoreFileName = "helia.sqlite";

    /// <summary>The environment variable that names the repo folder (Kubo's IPFS_PATH).</summary>
    public const string PathVariable = "HELIA_PATH";

    private const int MaxVersionFileSize = 64;

    private readonly RepoLock _lock;
    private int _disposed;

    private Repo(string path, int version, RepoLock repoLock, RepoConfig config, FlatFsBlockstore blocks, SqliteDatastore datastore)
    {
        Path = path;
        Version = version;
        _lock = repoLock;
        Config = config;
        Blocks = blocks;
        Datastore = datastore;
    }

    /// <summary>The repo folder (a full path).</summary>
    public string Path { get; }

    /// <summary>The repo's layout version (its version file; an older repo has been upgraded to this on open).</summary>
    public int Version { get; }

    /// <summary>The config as last read or saved.</summary>
    public RepoConfig Config { get; private set; }

    /// <summary>The blocks, in <c>blocks/</c>.</summary>
    public FlatFsBlockstore Blocks { get; }

    /// <summary>The datastore (pins and other records), in <c>datastore/</c>.</summary>
    public SqliteDatastore Datastore { get; }

    /// <summary><c>$HELIA_PATH</c> if set, otherwise <c>~/.helia</c>.</summary>
    public static string DefaultPath => ResolveDefaultPath(Environment.GetEnvironmentVariable(PathVariable));

    /// <summary>True when <paramref name="path"/> holds a repo (a config file).</summary>
    public static bool Exists(string path) => File.Exists(System.IO.Path.Combine(path, ConfigFileName));

    /// <summary>
    /// Creates a repo in <paramref name="path"/> (creating the folder) with this config and opens it.
    /// Throws <see cref="RepoExistsException"/> if a repo is there already, <see cref="RepoLockedException"/> if
    /// another process holds the folder's lock.
    /// </summary>
    public static async Task<Repo> InitAsync(string path, RepoConfig config, RepoOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(config);
        options ??= new RepoOptions();
        options.Validate();
        path = System.IO.Path.GetFullPath(path);
        byte[] json = config.ToJson();
        try
        {
            config = RepoConfig.Parse(path, ConfigFileName, json);
        }
        catch (RepoCorruptException ex)
        {
            throw new ArgumentException($"The config to initialize the repo with is invalid: {ex.Message}", nameof(config), ex);
        }

        if (Exists(path))
        {
            throw new RepoExistsException(path);
        }

        Directory.CreateDirectory(path);
        RepoLock repoLock = RepoLock.Acquire(path);
        try
        {
            if (Exists(path))
            {
                throw new RepoExistsException(path);   // another init won the race for the lock
            }

            await WriteFileAtomicallyAsync(path, VersionFileName, Encoding.ASCII.GetBytes($"{CurrentVersion}\n"), secret: false, cancellationToken);
            (FlatFsBlockstore blocks, SqliteDatastore datastore) = await OpenStoresAsync(path, options, cancellationToken);
            try
            {
                await WriteFileAtomicallyAsync(path, ConfigFileName, json, secret: true, cancellationToken);   // last: now it is a repo
            }
            catch
            {
                await datastore.DisposeAsync();
                throw;
            }

            return new Repo(path, CurrentVersion, repoLock, config, blocks, datastore);
        }
        catch
        {
            repoLock.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Opens the repo in <paramref name="path"/> and takes its lock. Throws <see cref="RepoNotFoundException"/>,
    /// <see cref="RepoLockedException"/>, <see cref="RepoVersionException"/> or <see cref="RepoCorruptException"/>.
    /// </summary>
    public static async Task<Repo> OpenAsync(string path, RepoOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        options ??= new RepoOptions();
        options.Validate();
        path = System.IO.Path.GetFullPath(path);
        if (!Exists(path))
        {
            throw new RepoNotFoundException(path);
        }

        RepoLock repoLock = RepoLock.Acquire(path);
        try
        {
            int version = await ReadVersionAsync(path, cancellationToken);
            if (version > options.TargetVersion)
            {
                throw new RepoVersionException(path, version, options.TargetVersion);
            }

            version = await MigrateAsync(path, version, options, cancellationToken);
            RepoConfig config = await ReadConfigAsync(path, cancellationToken);
            (FlatFsBlockstore blocks, SqliteDatastore datastore) = await OpenStoresAsync(path, options, cancellationToken);
            return new Repo(path, version, repoLock, config, blocks, datastore);
        }
        catch
        {
            repoLock.Dispose();
            throw;
        }
    }

    /// <inheritdoc cref="OpenAsync(string, RepoOptions?, CancellationToken)"/>
    public static Task<Repo> OpenAsync(string path, CancellationToken cancellationToken) => OpenAsync(path, options: null, cancellationToken);

    /// <summary>Replaces the config file atomically with <paramref name="config"/>.</summary>
    public async Task SaveConfigAsync(RepoConfig config, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(config);
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        byte[] json = config.ToJson();
        try
        {
            config = RepoConfig.Parse(Path, ConfigFileName, json);
        }
        catch (RepoCorruptException ex)
        {
            throw new ArgumentException($"The config is invalid: {ex.Message}", nameof(config), ex);
        }

        await WriteFileAtomicallyAsync(Path, ConfigFileName, json, secret: true, cancellationToken);
        Config = config;
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        try
        {
            await Datastore.DisposeAsync();
        }
        finally
        {
            _lock.Dispose();
        }
    }

    /// <summary>The default repo folder given the value of HELIA_PATH (null or empty: <c>~/.helia</c>).</summary>
    internal static string ResolveDefaultPath(string? heliaPath) => string.IsNullOrEmpty(heliaPath)
        ? System.IO.Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".helia")
        : System.IO.Path.GetFullPath(heliaPath);

    private static async Task<(FlatFsBlockstore Blocks, SqliteDatastore Datastore)> OpenStoresAsync(string path, RepoOptions options, CancellationToken cancellationToken)
    {
        var blocks = new FlatFsBlockstore(System.IO.Path.Combine(path, BlocksFolder), options.Blocks, options.LoggerFactory.CreateLogger<FlatFsBlockstore>());
        SqliteDatastore datastore = await SqliteDatastore.OpenAsync(
            System.IO.Path.Combine(path, DatastoreFolder, DatastoreFileName), options.Datastore, cancellationToken);
        return (blocks, datastore);
    }

    /// <summary>
    /// Takes an older repo up to the target version one step at a time (N to N+1), writing the version file after each
    /// step, so an interrupted upgrade resumes at the step that did not finish.
    /// </summary>
    private static async Task<int> MigrateAsync(string path, int version, RepoOptions options, CancellationToken cancellationToken)
    {
        ILogger logger = options.LoggerFactory.CreateLogger<Repo>();
        while (version < options.TargetVersion)
        {
            RepoMigration[] steps = [.. options.Migrations.Where(m => m.FromVersion == version)];
            if (steps.Length != 1)
            {
                throw new RepoMigrationException(path, version, steps.Length == 0
                    ? $"this build has no migration from version {version} to {version + 1}"
                    : $"this build has {steps.Length} migrations from version {version}");
            }

            Log.Migrating(logger, path, version, version + 1, steps[0].Description);
            try
            {
                await steps[0].MigrateAsync(path, cancellationToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                throw new RepoMigrationException(path, version, ex);
            }

            version++;
            await WriteFileAtomicallyAsync(path, VersionFileName, Encoding.ASCII.GetBytes($"{version}\n"), secret: false, cancellationToken);
        }

        return version;
    }

    /// <summary>The layout version in <paramref name="path"/>'s version file; <see cref="RepoCorruptException"/> when it is missing or not a version.</summary>
    public static async Task<int> ReadVersionAsync(string path, CancellationToken cancellationToken = default)
    {
        string file = System.IO.Path.Combine(path, VersionFileName);
        byte[] bytes = await ReadSmallFileAsync(path, file, MaxVersionFileSize, cancellationToken);
        string text = Encoding.ASCII.GetString(bytes).Trim();
        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int version) || version < 1)
        {
            throw new RepoCorruptException(path, file, $"'{text}' is not a repo version (a positive integer)");
        }

        return version;
    }

    private static async Task<RepoConfig> ReadConfigAsync(string path, CancellationToken cancellationToken)
    {
        string file = System.IO.Path.Combine(path, ConfigFileName);
        byte[] bytes = await ReadSmallFileAsync(path, file, RepoConfig.MaxFileSize, cancellationToken);
        return RepoConfig.Parse(path, file, bytes);
    }

    private static async Task<byte[]> ReadSmallFileAsync(string path, string file, int maxSize, CancellationToken cancellationToken)
    {
        SafeFileHandle handle;
        try
        {
            handle = File.OpenHandle(file, FileMode.Open, FileAccess.Read, FileShare.Read, FileOptions.Asynchronous);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new RepoCorruptException(path, file, "it is missing", ex);
        }

        using (handle)
        {
            long length = RandomAccess.GetLength(handle);
            if (length > maxSize)
            {
                throw new RepoCorruptException(path, file, $"it has {length} bytes, more than the {maxSize} allowed");
            }

            byte[] bytes = new byte[length];
            int read = 0;
            while (read < bytes.Length)
            {
                int n = await RandomAccess.ReadAsync(handle, bytes.AsMemory(read), read, cancellationToken);
                if (n == 0)
                {
                    throw new RepoCorruptException(path, file, "it got shorter while being read");
                }

                read += n;
            }

            return bytes;
        }
    }

    /// <summary>Writes a temporary file beside the target, flushes it to disk and renames it over the target.</summary>
    private static async Task WriteFileAtomicallyAsync(string folder, string name, byte[] bytes, bool secret, CancellationToken cancellationToken)
    {
        string final = System.IO.Path.Combine(folder, name);
        string temp = System.IO.Path.Combine(folder, $".{name}-{Guid.NewGuid():N}.tmp");
        try
        {
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None, Options = FileOptions.Asynchronous };
            if (!OperatingSystem.IsWindows())
            {
                options.UnixCreateMode = secret
                    ? UnixFileMode.UserRead | UnixFileMode.UserWrite
                    : UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;
            }

            await using (var stream = new FileStream(temp, options))
            {
                await stream.WriteAsync(bytes, cancellationToken);
                await stream.FlushAsync(cancellationToken);
                RandomAccess.FlushToDisk(stream.SafeFileHandle);   // fsync before the rename makes the file visible
            }

            File.Move(temp, final, overwrite: true);   // rename(2): readers see the old file or the new one, never a mix
            DirectorySync.Flush(folder);                 // and the new name itself is on disk
        }
        catch
        {
            try
            {
                File.Delete(temp);
            }
            catch (IOException)
            {
            }

            throw;
        }
    }

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Information, Message = "Upgrading the repo {Path} from version {From} to {To}: {Description}")]
        public static partial void Migrating(ILogger logger, string path, int from, int to, string description);
    }
}
