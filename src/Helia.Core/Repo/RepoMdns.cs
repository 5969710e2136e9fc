using System.Text.Json;
using System.Text.Json.Serialization;

namespace Helia.Core.Repo;

/// <summary>Whether the node finds and announces peers on the local network by mDNS.</summary>
public sealed record RepoMdns
{
    public bool Enabled { get; set; } = true;

    /// <summary>The section's fields this type does not model (Kubo's old Interval), written back unchanged.</summary>
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Other { get; set; }
}
