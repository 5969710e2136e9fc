using Helia.Cli.Http.Rpc;
using Helia.UnixFS.Importer;

namespace Helia.Cli.Daemon;

/// <summary>A directory upload's entries (flat paths) as a tree, turned into the importer's entries.</summary>
internal sealed class UploadNode(string name)
{
    public string Name { get; } = name;

    public RpcAddEntry? Entry { get; private set; }

    public SortedDictionary<string, UploadNode> Children { get; } = new(StringComparer.Ordinal);

    /// <summary>The tree of <paramref name="entries"/>; a parent missing from the upload is made a directory.</summary>
    public static UploadNode Build(IReadOnlyList<RpcAddEntry> entries)
    {
        var top = new UploadNode("");
        foreach (RpcAddEntry entry in entries)
        {
            UploadNode node = top;
            foreach (string segment in entry.Path.Split('/'))
            {
                if (node.Entry is { IsDirectory: false })
                {
                    throw new RpcException($"invalid upload: {entry.Path} is inside a file", RpcErrorCode.Client);
                }

                if (!node.Children.TryGetValue(segment, out UploadNode? child))
                {
                    child = new UploadNode(segment);
                    node.Children.Add(segment, child);
                }

                node = child;
            }

            if (node.Entry is not null || (!entry.IsDirectory && node.Children.Count > 0))
            {
                throw new RpcException($"invalid upload: {entry.Path} appears twice", RpcErrorCode.Client);
            }

            node.Entry = entry;
        }

        return top;
    }

    /// <summary>Every path below <paramref name="entry"/>, each directory after its contents.</summary>
    public static IEnumerable<string> DescendantPaths(ImportEntry entry, string prefix)
    {
        if (entry is not ImportDirectory directory)
        {
            yield break;
        }

        foreach (ImportEntry child in directory.Entries)
        {
            string path = prefix.Length == 0 ? child.Name : $"{prefix}/{child.Name}";
            foreach (string descendant in DescendantPaths(child, path))
            {
                yield return descendant;
            }

            yield return path;
        }
    }

    public ImportEntry ToImportEntry() => Entry switch
    {
        { ContentFile: { } file } => new ImportFile(Name, _ => ValueTask.FromResult<Stream>(File.OpenRead(file))),
        { SymlinkTarget: { } target } => new ImportSymlink(Name, target),
        _ => new ImportDirectory(Name, [.. Children.Values.Select(c => c.ToImportEntry())]),
    };
}
