using System.Text.Json;
using System.Text.Json.Serialization;

namespace Helia.Core.Repo;

/// <summary>
/// The node's identity as Kubo keeps it in config: <c>PeerID</c> and <c>PrivKey</c>, the libp2p PrivateKey protobuf
/// in base64. Core stores the key without reading it (the crypto lives in Helia.Libp2p); the node checks that the
/// key matches the peer ID when it opens the repo.
/// </summary>
public sealed record RepoIdentity
{
    /// <summary>The largest PrivKey accepted (libp2p's limit for an encoded private key).</summary>
    public const int MaxPrivateKeyLength = 16 * 1024;

    [JsonPropertyName("PeerID")]
    public required string PeerId { get; init; }

    /// <summary>The PrivateKey protobuf bytes (base64 in the JSON). Do not log them.</summary>
    public required byte[] PrivKey { get; init; }

    /// <summary>The section's fields this type does not model, written back unchanged.</summary>
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Other { get; set; }

    public override string ToString() => $"RepoIdentity {{ PeerID = {PeerId} }}";
}
