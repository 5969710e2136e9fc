using System.Text.Json;
using System.Text.Json.Serialization;
using Helia.Multiformats;

namespace Helia.Core.Repo;

/// <summary>
/// The repo's <c>config</c> file, a subset of Kubo's: Identity (PeerID, PrivKey), Addresses (Swarm, API) and
/// Discovery.MDNS.Enabled. Sections and fields we do not know are kept as they are when the config is written back.
/// </summary>
public sealed partial record RepoConfig
{
    /// <summary>A config larger than this is refused as corrupt (Kubo's are a few KiB).</summary>
    public const int MaxFileSize = 1024 * 1024;

    public required RepoIdentity Identity { get; init; }

    public RepoAddresses Addresses { get; set; } = new();

    public RepoDiscovery Discovery { get; set; } = new();

    /// <summary>Sections of the file this type does not model (Kubo's Datastore, Gateway, …), written back unchanged.</summary>
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Other { get; set; }

    public byte[] ToJson() => JsonSerializer.SerializeToUtf8Bytes(this, Json.Default.RepoConfig);

    /// <summary>Parses and checks a config file's bytes; <paramref name="file"/> names it in the error.</summary>
    internal static RepoConfig Parse(string repoPath, string file, ReadOnlySpan<byte> json)
    {
        RepoConfig? config;
        try
        {
            config = JsonSerializer.Deserialize(json, Json.Default.RepoConfig);
        }
        catch (JsonException ex)
        {
            throw new RepoCorruptException(repoPath, file, $"it is not valid config JSON ({ex.Message})", ex);
        }

        if (config is null)
        {
            throw new RepoCorruptException(repoPath, file, "it holds null, not a config object");
        }

        config.Check(repoPath, file);
        return config;
    }

    private void Check(string repoPath, string file)
    {
        if (Identity is null || string.IsNullOrEmpty(Identity.PeerId) || Identity.PrivKey is null || Identity.PrivKey.Length == 0)
        {
            throw new RepoCorruptException(repoPath, file, "Identity.PeerID and Identity.PrivKey are required");
        }

        if (!Multiformats.PeerId.TryParse(Identity.PeerId, out _))
        {
            throw new RepoCorruptException(repoPath, file, $"Identity.PeerID '{Identity.PeerId}' is not a peer ID");
        }

        if (Identity.PrivKey.Length > RepoIdentity.MaxPrivateKeyLength)
        {
            throw new RepoCorruptException(repoPath, file, $"Identity.PrivKey has {Identity.PrivKey.Length} bytes, more than {RepoIdentity.MaxPrivateKeyLength}");
        }

        if (Addresses?.Swarm is null || Addresses.Api is null || Discovery?.Mdns is null)
        {
            throw new RepoCorruptException(repoPath, file, "Addresses.Swarm, Addresses.API and Discovery.MDNS must not be null");
        }

        foreach (string address in Addresses.Swarm.Concat(Addresses.Api))
        {
            if (!Multiaddr.TryParse(address, out _))
            {
                throw new RepoCorruptException(repoPath, file, $"'{address}' in Addresses is not a multiaddr");
            }
        }
    }

    // The JSON contract, generated at compile time: no reflection or emitted code, so the repo opens the same way in a
    // trimmed or Native AOT build (the transfer benchmark's node publishes one). The sections with defaults have set
    // accessors, not init: the generated reader passes every init property to the object initializer, so a section
    // missing from the file would become null instead of keeping its default (dotnet/runtime#84484); with a setter it
    // is set only when the file has it. Identity is required, so init is fine there.
    [JsonSourceGenerationOptions(WriteIndented = true)]
    [JsonSerializable(typeof(RepoConfig))]
    private sealed partial class Json : JsonSerializerContext;
}
