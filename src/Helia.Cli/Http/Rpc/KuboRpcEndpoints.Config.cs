using System.Text.Json;
using System.Text.Json.Nodes;

namespace Helia.Cli.Http.Rpc;

public static partial class KuboRpcEndpoints
{
    private static void MapConfig(Action<string, Func<RpcRequest, Task>> map, KuboRpcBackend backend)
    {
        if (backend.Config is not { } config)
        {
            return;
        }

        map("config", request => ConfigAsync(request, config));
        map("config/show", request =>
        {
            JsonObject shown = JsonNode.Parse(config.Current.ToJson())!.AsObject();
            shown["Identity"]?.AsObject().Remove("PrivKey");     // as Kubo, the key never leaves through the API
            return RpcResponses.WriteJsonAsync(request.Context, shown);
        });
    }

    /// <summary>Kubo's <c>config KEY [VALUE] [--json] [--bool]</c>: answers <c>{"Key": KEY, "Value": VALUE}</c>.</summary>
    private static async Task ConfigAsync(RpcRequest request, IRpcConfig config)
    {
        string key = request.RequireArgument("key");
        if (key.Equals("Identity", StringComparison.OrdinalIgnoreCase) || key.Equals("Identity.PrivKey", StringComparison.OrdinalIgnoreCase))
        {
            throw new RpcException("cannot show or change private key through API");
        }

        JsonNode? value;
        if (request.Arguments.Count < 2)
        {
            try
            {
                value = config.Current.GetValue(key);
            }
            catch (KeyNotFoundException ex)
            {
                throw new RpcException($"failed to get config value: {ex.Message}");
            }
        }
        else
        {
            if (key.StartsWith("Identity.", StringComparison.OrdinalIgnoreCase))
            {
                // The peer ID must stay the one of the private key, or the repo would no longer open.
                throw new RpcException("cannot change the identity through the config command");
            }

            value = ParseConfigValue(request.Arguments[1], request.GetFlag("json"), request.GetFlag("bool"));
            try
            {
                await config.UpdateAsync(current => current.WithValue(key, value), request.Aborted);
            }
            catch (ArgumentException ex)
            {
                throw new RpcException($"failed to set config value: {ex.Message} (maybe use --json?)");
            }
        }

        await RpcResponses.WriteJsonAsync(request.Context, new JsonObject { ["Key"] = key, ["Value"] = value?.DeepClone() });
    }

    private static JsonNode? ParseConfigValue(string text, bool json, bool boolean)
    {
        if (json)
        {
            try
            {
                return JsonNode.Parse(text);
            }
            catch (JsonException ex)
            {
                throw new RpcException($"failed to unmarshal json. {ex.Message}");
            }
        }

        return boolean ? JsonValue.Create(text == "true") : JsonValue.Create(text);
    }
}
