using Helia.Cli.Http.Rpc;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Logging;

namespace Helia.Tests.Rpc;

/// <summary>The Kubo RPC endpoints on an in-memory TestServer, with an HttpClient to call them.</summary>
internal sealed class RpcTestHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private RpcTestHost(WebApplication app, HttpClient client)
    {
        _app = app;
        Client = client;
    }

    public HttpClient Client { get; }

    public static async Task<RpcTestHost> StartAsync(KuboRpcBackend backend)
    {
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseTestServer();
        builder.Logging.ClearProviders();
        WebApplication app = builder.Build();
        app.MapKuboRpc(backend);
        await app.StartAsync(TestContext.Current.CancellationToken);
        return new RpcTestHost(app, app.GetTestClient());
    }

    public Task<HttpResponseMessage> PostAsync(string pathAndQuery, HttpContent? content = null) =>
        Client.PostAsync(pathAndQuery, content, TestContext.Current.CancellationToken);

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _app.StopAsync(TestContext.Current.CancellationToken);
        await _app.DisposeAsync();
    }
}
