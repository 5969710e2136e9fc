using System.Net;
using System.Text.Json;
using Helia.Cli.Http.Rpc;
using Helia.Multiformats;

namespace Helia.Tests.Rpc;

public class RpcServerTests
{
    [Fact]
    public async Task StartAsync_PortZero_BindsLoopbackAndServesKuboRpc()
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        await using RpcServer server = await RpcServer.StartAsync(Multiaddr.Parse("/ip4/127.0.0.1/tcp/0"), new KuboRpcBackend(), ct);
        using var client = new HttpClient { BaseAddress = server.BaseUri, Timeout = TimeSpan.FromSeconds(10) };

        Assert.StartsWith("/ip4/127.0.0.1/tcp/", server.Address.ToString(), StringComparison.Ordinal);
        Assert.False(server.Address.ToString().EndsWith("/tcp/0", StringComparison.Ordinal));
        HttpResponseMessage response = await client.PostAsync("api/v0/version", null, ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using JsonDocument body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(ct));
        Assert.True(body.RootElement.TryGetProperty("Version", out _));
    }

    [Fact]
    public async Task StartAsync_TwoAddresses_ServesOnEach()
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        Multiaddr[] addresses = [Multiaddr.Parse("/ip4/127.0.0.1/tcp/0"), Multiaddr.Parse("/ip4/127.0.0.1/tcp/0")];
        await using RpcServer server = await RpcServer.StartAsync(addresses, new KuboRpcBackend(), ct);

        Assert.Equal(2, server.Addresses.Count);
        Assert.NotEqual(server.Addresses[0], server.Addresses[1]);
        foreach (Multiaddr address in server.Addresses)
        {
            using var client = new HttpClient { BaseAddress = RpcClient.ToUri(address), Timeout = TimeSpan.FromSeconds(10) };
            HttpResponseMessage response = await client.PostAsync("api/v0/version", null, ct);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
    }

    [Fact]
    public async Task StartAsync_OwnOriginOnLoopback_IsAllowed_OtherPortIsForbidden()
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        await using RpcServer server = await RpcServer.StartAsync(Multiaddr.Parse("/ip4/127.0.0.1/tcp/0"), new KuboRpcBackend(), ct);
        using var client = new HttpClient { BaseAddress = server.BaseUri, Timeout = TimeSpan.FromSeconds(10) };
        string own = server.BaseUri.GetLeftPart(UriPartial.Authority);

        using var ownRequest = new HttpRequestMessage(HttpMethod.Post, "api/v0/version");
        ownRequest.Headers.Add("Origin", own);
        using var otherRequest = new HttpRequestMessage(HttpMethod.Post, "api/v0/version");
        otherRequest.Headers.Add("Origin", "http://127.0.0.1:1");

        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(ownRequest, ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await client.SendAsync(otherRequest, ct)).StatusCode);
    }

    [Fact]
    public async Task StartAsync_NonTcpAddress_Throws()
    {
        await Assert.ThrowsAsync<ArgumentException>(() =>
            RpcServer.StartAsync(Multiaddr.Parse("/ip4/127.0.0.1/udp/5001"), new KuboRpcBackend(), TestContext.Current.CancellationToken));
    }
}
