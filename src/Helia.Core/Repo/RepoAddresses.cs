using System.Text.Json;
using System.Text.Json.Serialization;

namespace Helia.Core.Repo;

/// <summary>
/// Kubo's config Addresses section: where the swarm listens and where the RPC API listens (none, one or several, as
/// in Kubo). Its other fields (Announce, Gateway, …) are kept as they are when the config is written back.
/// </summary>
public sealed record RepoAddresses
{
    public IReadOnlyList<string> Swarm { get; set; } = ["/ip4/0.0.0.0/tcp/4001", "/ip6/::/tcp/4001"];

    [JsonPropertyName("API")]
    [JsonConverter(typeof(KuboStringsConverter))]
    public IReadOnlyList<string> Api { get; set; } = ["/ip4/127.0.0.1/tcp/5001"];

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Other { get; set; }
}
