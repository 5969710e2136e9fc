using System.Text;
using Helia.Multiformats;

namespace Helia.Core.Ipld.DagPb;

/// <summary>
/// A dag-pb link: the target's CID, an optional name and an optional cumulative size (Tsize) of the target's DAG.
/// An absent name and an empty name encode differently, so both are kept apart (<c>null</c> vs <c>""</c>).
/// </summary>
public sealed class PBLink
{
    private readonly byte[]? _nameUtf8;

    public PBLink(Cid hash, string? name = null, ulong? tsize = null)
    {
        if (hash.IsEmpty)
        {
            throw new ArgumentException("A dag-pb link needs a CID.", nameof(hash));
        }

        Hash = hash;
        Name = name;
        Tsize = tsize;
        _nameUtf8 = name is null ? null : Encoding.UTF8.GetBytes(name);
    }

    /// <summary>The target's CID.</summary>
    public Cid Hash { get; }

    /// <summary>The link's name; <c>null</c> when the field is absent.</summary>
    public string? Name { get; }

    /// <summary>The cumulative size of the target's DAG; <c>null</c> when the field is absent.</summary>
    public ulong? Tsize { get; }

    /// <summary>The name's UTF-8 bytes (empty when absent): what links are sorted by.</summary>
    public ReadOnlySpan<byte> NameUtf8 => _nameUtf8;

    internal bool HasName => _nameUtf8 is not null;

    /// <summary>Orders links as dag-pb requires: by the bytes of their names, an absent name counting as empty.</summary>
    public static int CompareByName(PBLink? x, PBLink? y)
    {
        if (ReferenceEquals(x, y))
        {
            return 0;
        }

        if (x is null)
        {
            return -1;
        }

        return y is null ? 1 : x.NameUtf8.SequenceCompareTo(y.NameUtf8);
    }

    public override string ToString() => $"{Name ?? "(unnamed)"} -> {Hash} ({Tsize?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "no size"})";
}
