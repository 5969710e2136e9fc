using System.Text;
using System.Text.Json.Nodes;

namespace Helia.Core.Repo;

/// <summary>Kubo's dotted config keys (<c>Addresses.API</c>, <c>Discovery.MDNS.Enabled</c>), read and written over the whole file.</summary>
public sealed partial record RepoConfig
{
    /// <summary>The value at <paramref name="key"/> (Kubo's <c>ipfs config KEY</c>), null where the file holds null.</summary>
    /// <exception cref="KeyNotFoundException">The config has no such key, or a part of it is not an object.</exception>
    public JsonNode? GetValue(string key)
    {
        string[] parts = SplitKey(key);
        JsonNode? cursor = ToJsonObject();
        for (int i = 0; i < parts.Length; i++)
        {
            if (cursor is not JsonObject section)
            {
                throw new KeyNotFoundException($"{Join(parts, i)} key is not a map");
            }

            if (!section.TryGetPropertyValue(parts[i], out cursor))
            {
                throw new KeyNotFoundException($"{Join(parts, i + 1)} not found");
            }
        }

        return cursor;
    }

    /// <summary>
    /// A copy with <paramref name="value"/> at <paramref name="key"/> (Kubo's <c>ipfs config KEY VALUE</c>), creating the
    /// sections on the way that are missing, checked as the config file is when the repo opens.
    /// </summary>
    /// <exception cref="ArgumentException">A part of the key is not an object, or the result is not a valid config.</exception>
    public RepoConfig WithValue(string key, JsonNode? value)
    {
        string[] parts = SplitKey(key);
        JsonObject root = ToJsonObject();
        JsonObject section = root;
        for (int i = 0; i < parts.Length - 1; i++)
        {
            if (!section.TryGetPropertyValue(parts[i], out JsonNode? next) || next is null)
            {
                next = new JsonObject();
                section[parts[i]] = next;
            }

            section = next as JsonObject ?? throw new ArgumentException($"{Join(parts, i + 1)} key is not a map", nameof(key));
        }

        section[parts[^1]] = value?.DeepClone();
        try
        {
            return Parse(repoPath: "", Repo.ConfigFileName, Encoding.UTF8.GetBytes(root.ToJsonString()));
        }
        catch (RepoCorruptException ex)
        {
            throw new ArgumentException($"{key} cannot be set to {value?.ToJsonString() ?? "null"}: {ex.Reason}", nameof(value), ex);
        }
    }

    private JsonObject ToJsonObject() => JsonNode.Parse(ToJson())!.AsObject();

    private static string[] SplitKey(string key)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        string[] parts = key.Split('.');
        return Array.IndexOf(parts, "") < 0 ? parts : throw new ArgumentException($"'{key}' is not a config key.", nameof(key));
    }

    private static string Join(string[] parts, int count) => string.Join('.', parts, 0, count);
}
