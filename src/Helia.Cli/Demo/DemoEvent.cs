using System.Text.Json;
using System.Text.Json.Serialization;

namespace Helia.Cli.Demo;

/// <summary>
/// One step a demo node reports to the demo on its standard output, as a JSON line:
/// started, stored, discovered, connected, fetched, served, failed.
/// </summary>
internal sealed record DemoEvent(
    [property: JsonPropertyName("event")] string Event,
    [property: JsonPropertyName("peer")] string? Peer = null,
    [property: JsonPropertyName("cid")] string? Cid = null,
    [property: JsonPropertyName("text")] string? Text = null,
    [property: JsonPropertyName("bytes")] long? Bytes = null,
    [property: JsonPropertyName("addresses")] IReadOnlyList<string>? Addresses = null,
    [property: JsonPropertyName("elapsedMs")] double? ElapsedMs = null)
{
    public const string Started = "started";
    public const string Stored = "stored";
    public const string Discovered = "discovered";
    public const string Connected = "connected";
    public const string Fetched = "fetched";
    public const string Failed = "failed";

    private static readonly JsonSerializerOptions s_json = new() { DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull };

    public string ToJson() => JsonSerializer.Serialize(this, s_json);

    /// <summary>Reads a line a demo node printed; lines that are not events (logs) give null.</summary>
    public static DemoEvent? TryParse(string line)
    {
        if (!line.StartsWith('{'))
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize<DemoEvent>(line, s_json);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
