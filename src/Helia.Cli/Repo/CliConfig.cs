using System.Text.Json;

namespace Helia.Cli.Repo;

/// <summary>&lt;repo&gt;/config.json: the addresses `helia daemon` uses unless --listen/--api override them.</summary>
internal sealed class CliConfig
{
    public static JsonSerializerOptions JsonOptions { get; } = new() { WriteIndented = true };

    public IReadOnlyList<string> Swarm { get; init; } = ["/ip4/0.0.0.0/tcp/4001", "/ip6/::/tcp/4001"];

    public string Api { get; init; } = "/ip4/127.0.0.1/tcp/5001";

    public bool Mdns { get; init; } = true;

    public static async Task<CliConfig> LoadAsync(CliRepo repo, CancellationToken cancellationToken)
    {
        string path = Path.Combine(repo.Path, CliRepo.ConfigFileName);
        if (!File.Exists(path))
        {
            return new CliConfig();
        }

        try
        {
            return JsonSerializer.Deserialize<CliConfig>(await File.ReadAllTextAsync(path, cancellationToken), JsonOptions) ?? new CliConfig();
        }
        catch (JsonException ex)
        {
            throw new CliException($"malformed config {path}: {ex.Message}");
        }
    }
}
