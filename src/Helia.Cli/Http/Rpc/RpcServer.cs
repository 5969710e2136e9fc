using System.Net;
using Helia.Multiformats;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Helia.Cli.Http.Rpc;

/// <summary>
/// The daemon's RPC API on Kestrel: one loopback TCP listener (127.0.0.1:5001 by default, port 0 allowed) serving
/// <see cref="KuboRpcEndpoints.MapKuboRpc"/>. Started by the daemon, stopped by disposing.
/// </summary>
public sealed class RpcServer : IAsyncDisposable
{
    public const string DefaultAddress = "/ip4/127.0.0.1/tcp/5001";

    private readonly WebApplication _app;

    private RpcServer(WebApplication app, Multiaddr address)
    {
        _app = app;
        Address = address;
    }

    /// <summary>The bound address, port filled in (what the daemon writes to &lt;repo&gt;/api).</summary>
    public Multiaddr Address { get; }

    public Uri BaseUri => Address.TryGetTcpEndPoint(out IPEndPoint? endPoint)
        ? new Uri($"http://{(endPoint.Address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? $"[{endPoint.Address}]" : endPoint.Address.ToString())}:{endPoint.Port}/")
        : throw new InvalidOperationException("The RPC server has no TCP address.");

    public static async Task<RpcServer> StartAsync(Multiaddr address, KuboRpcBackend backend, CancellationToken cancellationToken = default)
    {
        if (!address.TryGetTcpEndPoint(out IPEndPoint? endPoint))
        {
            throw new ArgumentException($"The API address {address} is not an /ip4 or /ip6 TCP address.", nameof(address));
        }

        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Listen(endPoint);
        });
        WebApplication app = builder.Build();
        app.MapKuboRpc(backend);
        try
        {
            await app.StartAsync(cancellationToken);
        }
        catch (IOException ex)
        {
            await app.DisposeAsync();
            throw new RpcException($"cannot serve the RPC API on {address}: {ex.Message}", ex);
        }

        string bound = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        var uri = new Uri(bound);
        var boundEndPoint = new IPEndPoint(IPAddress.Parse(uri.Host.Trim('[', ']')), uri.Port);
        return new RpcServer(app, Multiaddr.FromTcpEndPoint(boundEndPoint));
    }

    public async ValueTask DisposeAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        await _app.StopAsync(timeout.Token);
        await _app.DisposeAsync();
    }
}
