using Helia.Core.Blocks;

namespace Helia.UnixFS.Importer;

/// <summary>Imports files and directory trees into a blockstore (or only hashes them).</summary>
public sealed class UnixFSImporter
{
    private readonly DirectoryBuilder _builder;

    /// <param name="blockstore">Where blocks go; may be <c>null</c> when <see cref="ImporterOptions.OnlyHash"/> is set.</param>
    /// <param name="options">The import settings; <see cref="ImporterOptions.UnixFSV1_2025"/> when <c>null</c>.</param>
    public UnixFSImporter(IBlockstore? blockstore, ImporterOptions? options = null)
    {
        options ??= ImporterOptions.UnixFSV1_2025;
        options.Validate();
        if (blockstore is null && !options.OnlyHash)
        {
            throw new ArgumentNullException(nameof(blockstore), "A blockstore is needed unless only hashing.");
        }

        _builder = new DirectoryBuilder(new BlockWriter(blockstore, options), options);
    }

    /// <summary>Imports one file from <paramref name="source"/>, read to its end, not held in memory.</summary>
    public Task<DagNode> ImportFileAsync(Stream source, uint? mode = null, UnixFSTime? mtime = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        return _builder.Files.ImportAsync(source, mode, mtime, cancellationToken);
    }

    /// <summary>Imports a file, directory tree or symlink; a directory's CID is its root's.</summary>
    public Task<DagNode> ImportEntryAsync(ImportEntry entry, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return _builder.ImportAsync(entry, cancellationToken);
    }
}
