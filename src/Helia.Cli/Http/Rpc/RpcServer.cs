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
/// The daemon's RPC API on Kestrel: one TCP listener per API address (127.0.0.1:5001 by default, port 0 allowed), all
/// serving <see cref="KuboRpcEndpoints.MapKuboRpc"/>. Started by the daemon, stopped by disposing.
/// </summary>
public sealed class RpcServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private RpcServer(WebApplication app, IReadOnlyList<Multiaddr> addresses)
    {
        _app = app;
        Addresses = addresses;
    }

    /// <summary>The bound addresses, ports filled in, in the order they were given.</summary>
    public IReadOnlyList<Multiaddr> Addresses { get; }

    /// <summary>The first bound address (what the daemon writes to &lt;repo&gt;/api, as Kubo does).</summary>
    public Multiaddr Address => Addresses[0];

    public Uri BaseUri => RpcClient.ToUri(Address);

    public static Task<RpcServer> StartAsync(Multiaddr address, KuboRpcBackend backend, CancellationToken cancellationToken = default) =>
        StartAsync([address], backend, cancellationToken);

    public static async Task<RpcServer> StartAsync(IReadOnlyList<Multiaddr> addresses, KuboRpcBackend backend, CancellationToken cancellationToken = default)
    {
        if (addresses.Count == 0)
        {
            throw new ArgumentException("The RPC API needs at least one address.", nameof(addresses));
        }

        var endPoints = new IPEndPoint[addresses.Count];
        for (int i = 0; i < addresses.Count; i++)
        {
            if (!addresses[i].TryGetTcpEndPoint(out IPEndPoint? endPoint))
            {
                throw new ArgumentException($"The API address {addresses[i]} is not an /ip4 or /ip6 TCP address.", nameof(addresses));
            }

            endPoints[i] = endPoint;
        }

        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            foreach (IPEndPoint endPoint in endPoints)
            {
                kestrel.Listen(endPoint);
            }
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
            throw new RpcException($"cannot serve the RPC API on {string.Join(", ", addresses)}: {ex.Message}", ex);
        }

        // Kestrel reports what it bound in the order of its listeners, so a port 0 maps back to its own address.
        ICollection<string> bound = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses;
        Multiaddr[] boundAddresses = [.. bound.Select(url => new Uri(url)).Select(uri => Multiaddr.FromTcpEndPoint(new IPEndPoint(IPAddress.Parse(uri.Host.Trim('[', ']')), uri.Port)))];
        return new RpcServer(app, boundAddresses);
    }

    public async ValueTask DisposeAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        await _app.StopAsync(timeout.Token);
        await _app.DisposeAsync();
    }
}
