using System.Text.Json;
using System.Text.Json.Serialization;

namespace Helia.Cli.Http.Rpc;

/// <summary>The JSON settings of the RPC API: property names are written as declared (Kubo's PascalCase).</summary>
public static class RpcJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.General)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };
}
