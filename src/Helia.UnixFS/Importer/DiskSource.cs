namespace Helia.UnixFS.Importer;

/// <summary>Describes a file or directory on disk as <see cref="ImportEntry"/> values (files are opened lazily).</summary>
public static class DiskSource
{
    /// <summary>
    /// The entry for <paramref name="path"/>: a directory recursively, a file, or a symlink stored as a symlink.
    /// Names starting with '.' are skipped unless <see cref="ImporterOptions.IncludeHidden"/>.
    /// </summary>
    public static ImportEntry FromPath(string path, ImporterOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        string full = Path.GetFullPath(path);
        FileSystemInfo info = Directory.Exists(full) ? new DirectoryInfo(full) : new FileInfo(full);
        if (!info.Exists && info.LinkTarget is null)
        {
            throw new FileNotFoundException($"'{path}' does not exist.", path);
        }

        return FromInfo(info, options);
    }

    private static ImportEntry FromInfo(FileSystemInfo info, ImporterOptions options)
    {
        uint? mode = options.PreserveMode && !OperatingSystem.IsWindows() ? (uint)info.UnixFileMode & 0xFFF : null;
        UnixFSTime? mtime = options.PreserveMtime ? UnixFSTime.FromDateTimeOffset(info.LastWriteTimeUtc) : null;
        if (info.LinkTarget is string target)
        {
            return new ImportSymlink(info.Name, target) { Mode = mode, Mtime = mtime };
        }

        if (info is DirectoryInfo directory)
        {
            var entries = new List<ImportEntry>();
            foreach (FileSystemInfo child in directory.EnumerateFileSystemInfos())
            {
                if (!options.IncludeHidden && child.Name.StartsWith('.'))
                {
                    continue;
                }

                entries.Add(FromInfo(child, options));
            }

            return new ImportDirectory(directory.Name, entries) { Mode = mode, Mtime = mtime };
        }

        string fullName = info.FullName;
        return new ImportFile(info.Name, _ => ValueTask.FromResult<Stream>(new FileStream(
            fullName, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 0, FileOptions.Asynchronous | FileOptions.SequentialScan)))
        {
            Mode = mode,
            Mtime = mtime,
        };
    }
}
