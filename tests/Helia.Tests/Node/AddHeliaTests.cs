using System.Net;
using System.Net.Sockets;
using Helia.Core.Blocks;
using Helia.Libp2p.Host;
using Helia.Multiformats;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Helia.Tests.Node;

public class AddHeliaTests
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task AddHelia_HostStartsTheNode_ServesIt_AndStopsIt()
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        HostApplicationBuilder hostBuilder = Host.CreateApplicationBuilder();
        hostBuilder.Services.AddHelia(helia => helia
            .UseBlockstore(new MemoryBlockstore())
            .UseLibp2p(new Libp2pHostOptions { ListenAddresses = [Multiaddr.Parse("/ip4/127.0.0.1/tcp/0")] })
            .UseBitswap());
        using IHost host = hostBuilder.Build();
        var service = host.Services.GetRequiredService<HeliaNodeService>();
        Assert.Throws<InvalidOperationException>(() => service.Node);

        await host.StartAsync(ct).WaitAsync(s_timeout, ct);
        HeliaNode node = host.Services.GetRequiredService<HeliaNode>();
        Assert.Same(service.Node, node);
        Assert.True(node.Libp2p.ListenAddresses[0].TryGetTcpEndPoint(out IPEndPoint? listening));
        byte[] bytes = "hello from DI"u8.ToArray();
        Cid cid = Cid.Compute(Multicodec.Raw, bytes);
        await node.Blockstore.PutAsync(cid, bytes, ct);
        Assert.Equal(bytes, (await node.Blockstore.GetAsync(cid, ct)).ToArray());

        await host.StopAsync(ct).WaitAsync(s_timeout, ct);
        Assert.Throws<InvalidOperationException>(() => service.Node);
        using var probe = new TcpClient();   // the host stopped listening with the node
        await Assert.ThrowsAnyAsync<SocketException>(() => probe.ConnectAsync(listening, ct).AsTask());
    }
}
