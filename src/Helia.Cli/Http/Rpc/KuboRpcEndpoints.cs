using System.Runtime.InteropServices;
using Helia.Cli.Commands;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Helia.Cli.Http.Rpc;

/// <summary>
/// Kubo's RPC API v0 (specs: ipfs/kubo-rpc): POST /api/v0/&lt;command&gt;, arguments as repeated <c>arg</c> query
/// parameters and flags as query parameters, JSON bodies with Kubo's field names, NDJSON for streamed results, and
/// errors as <c>{"Message":..,"Code":..,"Type":"error"}</c>. Other methods get 405 and unknown commands 404 from routing.
/// </summary>
public static partial class KuboRpcEndpoints
{
    public const string Prefix = "/api/v0/";

    public static IEndpointRouteBuilder MapKuboRpc(this IEndpointRouteBuilder endpoints, KuboRpcBackend backend)
    {
        var policy = new RpcOriginPolicy(backend.AllowedOrigins);
        void Map(string command, Func<RpcRequest, Task> handler) =>
            endpoints.MapPost(Prefix + command, Wrap(policy, handler));

        Map("version", request => RpcResponses.WriteJsonAsync(request.Context, new
        {
            Version = VersionCommand.Version,
            Commit = "",
            Repo = Core.Repo.Repo.CurrentVersion.ToString(System.Globalization.CultureInfo.InvariantCulture),
            System = $"{RuntimeInformation.OSArchitecture.ToString().ToLowerInvariant()}/{RuntimeInformation.OSDescription}",
            Golang = RuntimeInformation.FrameworkDescription,
        }));

        if (backend.Node is { } node)
        {
            Map("id", request => IdAsync(request, node));
        }

        if (backend.Shutdown is { } shutdown)
        {
            Map("shutdown", request =>
            {
                request.Context.Response.OnCompleted(() =>
                {
                    shutdown();
                    return Task.CompletedTask;
                });
                request.Context.Response.StatusCode = StatusCodes.Status200OK;
                return Task.CompletedTask;
            });
        }

        MapBlocks(Map, backend);
        MapDag(Map, backend);
        MapPins(Map, backend);
        MapRepo(Map, backend);
        MapConfig(Map, backend);
        MapSwarm(Map, backend);
        MapPing(Map, backend);
        MapBitswap(Map, backend);
        MapUnixFS(Map, backend);
        MapGet(Map, backend);
        return endpoints;
    }

    private static Task IdAsync(RpcRequest request, IRpcNode node)
    {
        if (request.Arguments.Count > 0)
        {
            throw new RpcException("looking up other peers' identity is not supported yet");
        }

        return RpcResponses.WriteJsonAsync(request.Context, node.GetIdentity());
    }

    /// <summary>The origin check and the one error funnel every command goes through.</summary>
    private static RequestDelegate Wrap(RpcOriginPolicy policy, Func<RpcRequest, Task> handler) => async context =>
    {
        string? refusal = policy.Check(context.Request, context.Connection.LocalPort);
        if (refusal is not null)
        {
            context.Response.StatusCode = StatusCodes.Status403Forbidden;
            context.Response.ContentType = "text/plain";
            await context.Response.WriteAsync($"403 - Forbidden: {refusal}\n", context.RequestAborted);
            return;
        }

        try
        {
            await handler(new RpcRequest(context));
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
        }
        catch (Exception ex) when (!context.Response.HasStarted)
        {
            await RpcResponses.WriteErrorAsync(context, ex);
        }
    };
}
