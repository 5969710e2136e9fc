using Helia.Cli.Daemon;
using Helia.Cli.Http.Rpc;
using Helia.Multiformats;

namespace Helia.Cli;

/// <summary>
/// How a command reaches the node: through the running daemon's RPC API when &lt;repo&gt;/api answers, otherwise by
/// opening the repo offline (taking its lock) and serving the same RPC endpoints on a private loopback port for the
/// duration of the command, so both paths give the same results and output.
/// </summary>
internal sealed class CliSession : IAsyncDisposable
{
    private readonly HeliaNode? _offlineNode;
    private readonly RpcServer? _offlineServer;

    private CliSession(RpcClient client, bool online, HeliaNode? offlineNode, RpcServer? offlineServer)
    {
        Client = client;
        IsOnline = online;
        _offlineNode = offlineNode;
        _offlineServer = offlineServer;
    }

    public RpcClient Client { get; }

    public bool IsOnline { get; }

    public static async Task<CliSession> OpenAsync(CliRepo repo, bool requiresDaemon, CancellationToken cancellationToken)
    {
        repo.EnsureInitialized();
        if (repo.ReadApiAddress() is { } api && await RpcClient.IsAliveAsync(api, cancellationToken))
        {
            return new CliSession(new RpcClient(RpcClient.ToUri(api)), online: true, null, null);
        }

        if (requiresDaemon)
        {
            throw new CliException("this action must be run in online mode, try running 'helia daemon' first");
        }

        // The node owns the repo (and its lock) from here: disposing the node releases it.
        Core.Repo.Repo opened = await repo.OpenAsync(cancellationToken);
        HeliaNode node = await new HeliaBuilder().UseRepository(opened).BuildAsync(cancellationToken);
        try
        {
            RpcServer server = await RpcServer.StartAsync(Multiaddr.Parse("/ip4/127.0.0.1/tcp/0"), NodeRpcBackend.Create(node, opened, shutdown: null), cancellationToken);
            return new CliSession(new RpcClient(server.BaseUri), online: false, node, server);
        }
        catch
        {
            await node.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        if (_offlineServer is not null)
        {
            await _offlineServer.DisposeAsync();
        }

        if (_offlineNode is not null)
        {
            await _offlineNode.DisposeAsync();
        }
    }
}
