using System.Formats.Tar;
using Helia.Cli.Http.Rpc;

namespace Helia.Cli;

/// <summary>
/// Unpacks the tar stream of `get` into <c>destination</c>, as Kubo's extractor does: the archive's top entry becomes
/// the destination itself, every later entry must lie below it. Names are checked segment by segment, and an entry is
/// written only inside a directory this extractor created, so neither "../" nor a symlink sent earlier in the archive can
/// lead a write outside the destination.
/// </summary>
internal static class TarExtractor
{
    public static async Task ExtractAsync(Stream archive, string destination, CancellationToken cancellationToken)
    {
        destination = Path.GetFullPath(destination);
        await using var reader = new TarReader(archive, leaveOpen: true);
        string? rootName = null;
        var directories = new HashSet<string>(StringComparer.Ordinal);
        while (await ReadEntryAsync(reader, cancellationToken) is { } entry)
        {
            if (entry.EntryType is TarEntryType.ExtendedAttributes or TarEntryType.GlobalExtendedAttributes)
            {
                continue;
            }

            string name = entry.Name.TrimEnd('/');
            string target;
            if (rootName is null)
            {
                rootName = name;
                target = destination;
            }
            else
            {
                if (!name.StartsWith(rootName + "/", StringComparison.Ordinal))
                {
                    throw new CliException($"the archive's entry \"{entry.Name}\" is outside its top entry \"{rootName}\"");
                }

                string[] segments = name[(rootName.Length + 1)..].Split('/');
                if (Array.Exists(segments, s => !RpcGetEntry.IsSafeName(s)))
                {
                    throw new CliException($"refusing to write the unsafe entry name \"{entry.Name}\"");
                }

                target = Path.Combine([destination, .. segments]);
                if (!directories.Contains(Path.GetDirectoryName(target)!))
                {
                    throw new CliException($"the archive's entry \"{entry.Name}\" is not inside a directory of the archive");
                }
            }

            switch (entry.EntryType)
            {
                case TarEntryType.Directory:
                    RefuseLinkAt(target, entry);
                    Directory.CreateDirectory(target);
                    directories.Add(target);
                    break;
                case TarEntryType.RegularFile or TarEntryType.V7RegularFile:
                    RefuseLinkAt(target, entry);
                    await WriteFileAsync(target, entry, cancellationToken);
                    break;
                case TarEntryType.SymbolicLink:
                    File.Delete(target);
                    File.CreateSymbolicLink(target, entry.LinkName);
                    break;
                default:
                    throw new CliException($"the archive's entry \"{entry.Name}\" has the unsupported type {entry.EntryType}");
            }
        }

        if (rootName is null)
        {
            throw new CliException("the archive is empty");
        }
    }

    private static async Task<TarEntry?> ReadEntryAsync(TarReader reader, CancellationToken cancellationToken)
    {
        try
        {
            return await reader.GetNextEntryAsync(copyData: false, cancellationToken);
        }
        catch (Exception ex) when (IsMalformed(ex))
        {
            throw new CliException($"the archive is malformed: {ex.Message}");
        }
    }

    private static async Task WriteFileAsync(string target, TarEntry entry, CancellationToken cancellationToken)
    {
        await using var file = new FileStream(target, FileMode.Create, FileAccess.Write, FileShare.None, bufferSize: 0, FileOptions.Asynchronous);
        try
        {
            if (entry.DataStream is { } data)
            {
                await data.CopyToAsync(file, cancellationToken);
            }
        }
        catch (Exception ex) when (IsMalformed(ex))
        {
            throw new CliException($"the archive is malformed: {ex.Message}");
        }

        if (file.Length != entry.Length)
        {
            throw new CliException($"the archive is truncated: \"{entry.Name}\" has {file.Length} of its {entry.Length} bytes");
        }
    }

    // A symlink already at the target (sent earlier in the archive, or left in the destination) would carry the write
    // wherever it points.
    private static void RefuseLinkAt(string target, TarEntry entry)
    {
        if (new FileInfo(target).LinkTarget is not null)
        {
            throw new CliException($"refusing to write the entry \"{entry.Name}\" through the symlink at {target}");
        }
    }

    // A truncated stream surfaces as EndOfStreamException from the reader or the entry's data. Other I/O errors (a full
    // disk, a dropped connection) are not the archive's fault and keep their own message.
    private static bool IsMalformed(Exception ex) => ex is InvalidDataException or FormatException or ArgumentException or EndOfStreamException;
}
