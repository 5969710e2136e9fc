namespace Helia.Core.Datastore;

/// <summary>
/// A hierarchical datastore key, written like a path: <c>/pins/bafy…</c>. Always starts with '/', never ends with
/// one (except the root, "/"), has no empty segments. Ordered and compared ordinally, so a prefix query is a range.
/// </summary>
public readonly struct DatastoreKey : IEquatable<DatastoreKey>, IComparable<DatastoreKey>
{
    private const char Separator = '/';
    private readonly string? _value;

    /// <summary>Cleans <paramref name="key"/>: adds the leading '/', drops empty segments and a trailing '/'.</summary>
    public DatastoreKey(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        _value = Clean(key);
    }

    private DatastoreKey(string value, bool clean) => _value = clean ? Clean(value) : value;

    public static DatastoreKey Root { get; } = new("/");

    /// <summary>The key as text, e.g. <c>/pins/abc</c>.</summary>
    public string Value => _value ?? "/";

    public bool IsRoot => Value.Length == 1;

    /// <summary>The last segment ("" for the root).</summary>
    public string Name => Value[(Value.LastIndexOf(Separator) + 1)..];

    /// <summary>The key one level up (the root's parent is the root).</summary>
    public DatastoreKey Parent
    {
        get
        {
            int last = Value.LastIndexOf(Separator);
            return last <= 0 ? Root : new DatastoreKey(Value[..last], clean: false);
        }
    }

    /// <summary>The segments, without separators: <c>/a/b</c> gives a, b.</summary>
    public string[] Segments => IsRoot ? [] : Value[1..].Split(Separator);

    /// <summary>The key <c>this/name</c>; <paramref name="name"/> is one segment (non-empty, no '/').</summary>
    public DatastoreKey Child(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (name.Contains(Separator, StringComparison.Ordinal))
        {
            throw new ArgumentException($"A key segment cannot contain '/': '{name}'.", nameof(name));
        }

        return new DatastoreKey(IsRoot ? "/" + name : Value + "/" + name, clean: false);
    }

    /// <summary>True when this key is <paramref name="prefix"/> or lies under it (hierarchically: /a is not a prefix of /ab).</summary>
    public bool IsUnder(DatastoreKey prefix) =>
        prefix.IsRoot
        || (Value.StartsWith(prefix.Value, StringComparison.Ordinal)
            && (Value.Length == prefix.Value.Length || Value[prefix.Value.Length] == Separator));

    public bool Equals(DatastoreKey other) => string.Equals(Value, other.Value, StringComparison.Ordinal);

    public override bool Equals(object? obj) => obj is DatastoreKey other && Equals(other);

    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(Value);

    public int CompareTo(DatastoreKey other) => string.CompareOrdinal(Value, other.Value);

    public override string ToString() => Value;

    public static implicit operator DatastoreKey(string key) => new(key);

    public static bool operator ==(DatastoreKey left, DatastoreKey right) => left.Equals(right);

    public static bool operator !=(DatastoreKey left, DatastoreKey right) => !left.Equals(right);

    public static bool operator <(DatastoreKey left, DatastoreKey right) => left.CompareTo(right) < 0;

    public static bool operator <=(DatastoreKey left, DatastoreKey right) => left.CompareTo(right) <= 0;

    public static bool operator >(DatastoreKey left, DatastoreKey right) => left.CompareTo(right) > 0;

    public static bool operator >=(DatastoreKey left, DatastoreKey right) => left.CompareTo(right) >= 0;

    private static string Clean(string key)
    {
        string[] parts = key.Split(Separator, StringSplitOptions.RemoveEmptyEntries);
        return "/" + string.Join(Separator, parts);
    }
}
