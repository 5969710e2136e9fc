using System.Text.Json.Serialization;

namespace Helia.Core.Repo;

/// <summary>Kubo's config Addresses section: where the swarm listens and where the RPC API listens.</summary>
public sealed record RepoAddresses
{
    public IReadOnlyList<string> Swarm { get; set; } = ["/ip4/0.0.0.0/tcp/4001", "/ip6/::/tcp/4001"];

    [JsonPropertyName("API")]
    public string Api { get; set; } = "/ip4/127.0.0.1/tcp/5001";
}
