using System.Text.Json;
using System.Text.Json.Serialization;

namespace Helia.Core.Repo;

/// <summary>Kubo's config Discovery section: <c>{"MDNS": {"Enabled": true}}</c>.</summary>
public sealed record RepoDiscovery
{
    [JsonPropertyName("MDNS")]
    public RepoMdns Mdns { get; set; } = new();

    /// <summary>The section's fields this type does not model, written back unchanged.</summary>
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Other { get; set; }
}
