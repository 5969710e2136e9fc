using System.Collections.Frozen;
using System.Diagnostics.CodeAnalysis;

namespace Helia.Multiformats;

/// <summary>
/// The multicodec table (specs: multiformats/multicodec/table.csv), generated into MulticodecTable.Generated.cs
/// by scripts/generate-multicodec.cs: lookups by code and by the table's name.
/// </summary>
public static partial class MulticodecTable
{
    private static readonly MulticodecInfo[] s_entries = CreateEntries();

    private static readonly FrozenDictionary<ulong, MulticodecInfo> s_byCode =
        s_entries.ToFrozenDictionary(e => (ulong)e.Code);

    private static readonly FrozenDictionary<string, MulticodecInfo> s_byName =
        s_entries.ToFrozenDictionary(e => e.Name, StringComparer.Ordinal);

    private static readonly FrozenDictionary<string, MulticodecInfo>.AlternateLookup<ReadOnlySpan<char>> s_byNameSpan =
        s_byName.GetAlternateLookup<ReadOnlySpan<char>>();

    /// <summary>Every row of the table, in the table's order (by code).</summary>
    public static IReadOnlyList<MulticodecInfo> All => s_entries;

    /// <summary>The row for a code.</summary>
    public static bool TryGet(ulong code, out MulticodecInfo info) => s_byCode.TryGetValue(code, out info);

    /// <summary>The table's name for a code, e.g. "dag-pb" for 0x70.</summary>
    public static bool TryGetName(ulong code, [NotNullWhen(true)] out string? name)
    {
        if (s_byCode.TryGetValue(code, out MulticodecInfo info))
        {
            name = info.Name;
            return true;
        }

        name = null;
        return false;
    }

    /// <inheritdoc cref="TryGetName(ulong, out string?)"/>
    public static bool TryGetName(Multicodec code, [NotNullWhen(true)] out string? name) => TryGetName((ulong)code, out name);

    /// <summary>The table's name for a code, or the code in hex ("0x…") when the table has none (for messages and output).</summary>
    public static string NameOf(ulong code) => TryGetName(code, out string? name) ? name : $"0x{code:x}";

    /// <inheritdoc cref="NameOf(ulong)"/>
    public static string NameOf(Multicodec code) => NameOf((ulong)code);

    /// <summary>The code with the table's name <paramref name="name"/> (exact, lower case: "dag-pb", "sha2-256").</summary>
    public static bool TryParse(ReadOnlySpan<char> name, out Multicodec code)
    {
        if (s_byNameSpan.TryGetValue(name, out MulticodecInfo info))
        {
            code = info.Code;
            return true;
        }

        code = default;
        return false;
    }

    /// <summary>The code with the table's name <paramref name="name"/>; throws <see cref="MultiformatsException"/> for an unknown name.</summary>
    public static Multicodec Parse(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return TryParse(name, out Multicodec code)
            ? code
            : throw new MultiformatsException($"'{name}' is not a name in the multicodec table.");
    }
}
