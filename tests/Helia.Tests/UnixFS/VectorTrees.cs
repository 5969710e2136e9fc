using System.Globalization;
using Helia.UnixFS.Importer;

namespace Helia.Tests.UnixFS;

/// <summary>The directory trees of the shared vectors README, built in memory.</summary>
internal static class VectorTrees
{
    public static ImportDirectory Build(string tree) => tree switch
    {
        "small" => new ImportDirectory("small",
        [
            .. Enumerable.Range(1, 5).Select(i => File(i, $"file-{i}.bin")),
            new ImportDirectory("sub", [new ImportDirectory("deeper", [.. Enumerable.Range(6, 3).Select(i => File(i, $"file-{i}.bin"))])]),
            new ImportDirectory("empty", []),
        ]),
        "wide-1000" => Wide(tree, 1000),
        "wide-8000" => Wide(tree, 8000),
        _ => throw new ArgumentException($"Unknown tree {tree}.", nameof(tree)),
    };

    public static ImportFile File(int index, string name) =>
        ImportFile.FromBytes(name, XorShift32.Generate((uint)(1000 + index), index * 37 % 5000));

    private static ImportDirectory Wide(string name, int count) =>
        new(name, [.. Enumerable.Range(1, count).Select(i => File(i, "f" + i.ToString("D5", CultureInfo.InvariantCulture) + ".txt"))]);
}
