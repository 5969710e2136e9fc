namespace Helia.UnixFS.Importer;

/// <summary>Something to import into a directory tree: a file, a directory or a symlink, under a name.</summary>
public abstract record ImportEntry(string Name)
{
    /// <summary>Permission bits to store; <c>null</c> stores none (the type's default applies).</summary>
    public uint? Mode { get; init; }

    public UnixFSTime? Mtime { get; init; }
}

/// <summary>A file whose bytes come from a stream opened when it is imported (and disposed after).</summary>
public sealed record ImportFile(string Name, Func<CancellationToken, ValueTask<Stream>> Open) : ImportEntry(Name)
{
    public static ImportFile FromBytes(string name, ReadOnlyMemory<byte> bytes) =>
        new(name, _ => ValueTask.FromResult<Stream>(new MemoryStream(bytes.ToArray(), writable: false)));
}

/// <summary>A directory and its entries.</summary>
public sealed record ImportDirectory(string Name, IReadOnlyList<ImportEntry> Entries) : ImportEntry(Name);

/// <summary>A symbolic link, stored as a UnixFS symlink node holding its target.</summary>
public sealed record ImportSymlink(string Name, string Target) : ImportEntry(Name);
