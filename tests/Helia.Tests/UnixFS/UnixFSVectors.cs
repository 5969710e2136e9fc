using System.Text.Json;

namespace Helia.Tests.UnixFS;

/// <summary>The shared reference vectors: root CIDs computed by JS Helia for xorshift32 inputs.</summary>
internal static class UnixFSVectors
{
    public sealed record FileVector(uint Seed, int Size, string Profile, string Sha256, string Cid);

    public sealed record DirectoryVector(string Tree, string Profile, string Cid);

    private static readonly JsonSerializerOptions s_json = new() { PropertyNameCaseInsensitive = true };

    public static IReadOnlyList<FileVector> Files { get; } =
        JsonSerializer.Deserialize<List<FileVector>>(File.ReadAllText(PathOf("unixfs-files.json")), s_json)!;

    public static IReadOnlyList<DirectoryVector> Directories { get; } =
        [.. File.ReadAllLines(PathOf("unixfs-dirs.jsonl")).Where(l => l.Length > 0).Select(l => JsonSerializer.Deserialize<DirectoryVector>(l, s_json)!)];

    private static string PathOf(string name) => Path.Combine(AppContext.BaseDirectory, "UnixFS", "Fixtures", name);
}
