using System.Runtime.CompilerServices;
using Helia.Core.IO;
using Helia.Multiformats;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Win32.SafeHandles;

namespace Helia.Core.Blocks;

/// <summary>
/// Blocks as files, in Kubo's flatfs layout, so a Kubo repo's blocks can be read and ours read by Kubo:
/// <c>&lt;root&gt;/&lt;shard&gt;/&lt;KEY&gt;.data</c>, where KEY is the block's multihash in upper-case base32 without
/// padding or multibase prefix, and shard is the two characters before the last one of KEY (next-to-last/2).
/// Writes go to a temporary file that is renamed into place, so a file under its key is always whole; two writers
/// of the same block both rename identical bytes. Reads hash the bytes against the CID: a corrupt file is logged,
/// moved aside and treated as missing, so a networked store fetches the block again.
/// </summary>
public sealed partial class FlatFsBlockstore : BlockstoreBase
{
    /// <summary>The SHARDING file's content for Kubo's default (go-ds-flatfs).</summary>
    public const string ShardingId = "/repo/flatfs/shard/v1/next-to-last/2";

    private const string ShardingFile = "SHARDING";
    private const string TempFolder = ".temp";
    private const string Extension = ".data";
    private const string CorruptExtension = ".corrupt";
    private const int ShardLength = 2;

    private readonly string _root;
    private readonly string _temp;
    private readonly FlatFsBlockstoreOptions _options;
    private readonly ILogger<FlatFsBlockstore> _logger;

    public FlatFsBlockstore(string root, FlatFsBlockstoreOptions? options = null, ILogger<FlatFsBlockstore>? logger = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(root);
        _options = options ?? new FlatFsBlockstoreOptions();
        _options.Validate();
        _logger = logger ?? NullLogger<FlatFsBlockstore>.Instance;
        _root = Path.GetFullPath(root);
        _temp = Path.Combine(_root, TempFolder);

        Directory.CreateDirectory(_root);
        CheckSharding();

        // Whatever a crash left half-written here was never renamed into place: it is garbage.
        if (Directory.Exists(_temp))
        {
            Directory.Delete(_temp, recursive: true);
        }

        Directory.CreateDirectory(_temp);
    }

    /// <summary>The folder that holds the shards.</summary>
    public string Root => _root;

    /// <summary>The flatfs key of a multihash: upper-case base32, no padding, no prefix.</summary>
    public static string KeyOf(Multihash hash) => Multibase.EncodeWithoutPrefix(MultibaseEncoding.Base32Upper, hash.Bytes);

    /// <summary>The next-to-last/2 shard of a key: the two characters before its last one (padded with '_').</summary>
    public static string ShardOf(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        string padded = key.Length > ShardLength ? key : new string('_', ShardLength + 1) + key;
        return padded.Substring(padded.Length - ShardLength - 1, ShardLength);
    }

    /// <summary>Where the block with this multihash lives, relative to nothing: the full path.</summary>
    public string PathOf(Multihash hash)
    {
        string key = KeyOf(hash);
        return Path.Combine(_root, ShardOf(key), key + Extension);
    }

    public override async IAsyncEnumerable<Block> GetAllAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await foreach (Cid cid in GetAllCidsAsync(cancellationToken))
        {
            ReadOnlyMemory<byte> bytes;
            try
            {
                bytes = await GetCoreAsync(cid, cancellationToken);
            }
            catch (BlockNotFoundException)
            {
                continue;                      // deleted since it was listed, or corrupt (logged and moved aside)
            }

            yield return new Block(cid, bytes);
        }
    }

    /// <summary>Lists the keys without reading the files; yields CIDv1 with the raw codec (flatfs keeps no codec).</summary>
    public override async IAsyncEnumerable<Cid> GetAllCidsAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await Task.CompletedTask;
        foreach (string shard in Directory.EnumerateDirectories(_root))
        {
            if (Path.GetFileName(shard).StartsWith('.'))
            {
                continue;
            }

            foreach (string file in Directory.EnumerateFiles(shard, "*" + Extension))
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (TryParseKey(Path.GetFileNameWithoutExtension(file.AsSpan()), out Multihash hash))
                {
                    yield return Cid.CreateV1(Multicodec.Raw, hash);
                }
                else
                {
                    Log.ForeignFile(_logger, file);
                }
            }
        }
    }

    protected override ValueTask<bool> HasCoreAsync(Multihash hash, CancellationToken cancellationToken) =>
        ValueTask.FromResult(File.Exists(PathOf(hash)));

    protected override ValueTask<ReadOnlyMemory<byte>> GetCoreAsync(Cid cid, CancellationToken cancellationToken)
    {
        string path = PathOf(cid.Hash);
        byte[]? bytes = ReadFile(path, cid);
        if (bytes is null)
        {
            return ValueTask.FromException<ReadOnlyMemory<byte>>(new BlockNotFoundException(cid));
        }

        if (_options.VerifyOnRead && MultihashHashers.TryGet(cid.Hash.Code, out _) && !cid.Hash.Matches(bytes))
        {
            return ValueTask.FromException<ReadOnlyMemory<byte>>(Corrupt(cid, path, "its bytes do not hash to the CID"));
        }

        return ValueTask.FromResult<ReadOnlyMemory<byte>>(bytes);
    }

    protected override ValueTask<int> GetSizeCoreAsync(Cid cid, CancellationToken cancellationToken)
    {
        var file = new FileInfo(PathOf(cid.Hash));
        return file.Exists
            ? ValueTask.FromResult((int)Math.Min(file.Length, int.MaxValue))
            : ValueTask.FromException<int>(new BlockNotFoundException(cid));
    }

    protected override ValueTask PutCoreAsync(Cid cid, ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken)
    {
        if (bytes.Length > _options.MaxBlockSize)
        {
            throw new InvalidBlockException(cid, $"Block {cid} has {bytes.Length} bytes, more than the {_options.MaxBlockSize} allowed.");
        }

        cancellationToken.ThrowIfCancellationRequested();
        WriteBlock(cid.Hash, bytes.Span);
        return ValueTask.CompletedTask;
    }

    protected override ValueTask DeleteCoreAsync(Multihash hash, CancellationToken cancellationToken)
    {
        try
        {
            File.Delete(PathOf(hash));
        }
        catch (DirectoryNotFoundException)
        {
        }

        return ValueTask.CompletedTask;
    }

    /// <summary>Writes a block synchronously: temp file, optional fsync, rename. Used by PutAsync and the crash test's child.</summary>
    internal void WriteBlock(Multihash hash, ReadOnlySpan<byte> bytes)
    {
        string key = KeyOf(hash);
        string shard = Path.Combine(_root, ShardOf(key));
        string final = Path.Combine(shard, key + Extension);
        if (File.Exists(final))
        {
            return;                            // content-addressed: the file there already holds these bytes
        }

        string temp = Path.Combine(_temp, $"{key}-{Guid.NewGuid():N}");
        try
        {
            using (SafeFileHandle handle = File.OpenHandle(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, FileOptions.None, bytes.Length))
            {
                RandomAccess.Write(handle, bytes, 0);
                if (_options.Sync)
                {
                    RandomAccess.FlushToDisk(handle);
                }
            }

            Directory.CreateDirectory(shard);
            File.Move(temp, final, overwrite: true);   // rename(2): atomic, and a racing writer renames the same bytes
            if (_options.Sync)
            {
                DirectorySync.Flush(shard);            // the new name durable too, as Kubo's flatfs syncs the shard
            }
        }
        catch
        {
            TryDelete(temp);
            throw;
        }
    }

    private byte[]? ReadFile(string path, Cid cid)
    {
        SafeFileHandle handle;
        try
        {
            handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }

        using (handle)
        {
            long length = RandomAccess.GetLength(handle);
            if (length > _options.MaxBlockSize)
            {
                throw Corrupt(cid, path, $"it has {length} bytes, more than the {_options.MaxBlockSize} a block may have");
            }

            byte[] bytes = new byte[length];
            int read = 0;
            while (read < bytes.Length)
            {
                int n = RandomAccess.Read(handle, bytes.AsSpan(read), read);
                if (n == 0)
                {
                    throw Corrupt(cid, path, "it got shorter while being read");
                }

                read += n;
            }

            return bytes;
        }
    }

    /// <summary>Logs, moves the file aside (so a fresh put can repair it) and returns the "missing" error to throw.</summary>
    private BlockNotFoundException Corrupt(Cid cid, string path, string reason)
    {
        Log.CorruptBlock(_logger, cid, path, reason);
        try
        {
            File.Move(path, path + CorruptExtension, overwrite: true);
        }
        catch (IOException ex)
        {
            Log.MoveAsideFailed(_logger, path, ex);
        }

        return new BlockNotFoundException(cid, $"Block {cid} at {path} is corrupt ({reason}); it was moved aside and is treated as missing.");
    }

    private void CheckSharding()
    {
        string path = Path.Combine(_root, ShardingFile);
        if (!File.Exists(path))
        {
            File.WriteAllText(path, ShardingId + "\n");
            return;
        }

        string id = File.ReadAllText(path).Trim();
        if (id != ShardingId)
        {
            throw new HeliaException($"The flatfs folder {_root} uses sharding '{id}' (file {path}); only '{ShardingId}' is supported.");
        }
    }

    private static bool TryParseKey(ReadOnlySpan<char> key, out Multihash hash)
    {
        hash = default;
        try
        {
            hash = Multihash.Parse(Multibase.DecodeWithoutPrefix(MultibaseEncoding.Base32Upper, key));
            return true;
        }
        catch (MultiformatsException)
        {
            return false;
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
        }
    }

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Error, Message = "Block {Cid} in {Path} is corrupt: {Reason}. Moved aside and treated as missing")]
        public static partial void CorruptBlock(ILogger logger, Cid cid, string path, string reason);

        [LoggerMessage(Level = LogLevel.Warning, Message = "Could not move the corrupt block file {Path} aside")]
        public static partial void MoveAsideFailed(ILogger logger, string path, Exception exception);

        [LoggerMessage(Level = LogLevel.Debug, Message = "Skipping {Path}: its name is not a flatfs block key")]
        public static partial void ForeignFile(ILogger logger, string path);
    }
}
