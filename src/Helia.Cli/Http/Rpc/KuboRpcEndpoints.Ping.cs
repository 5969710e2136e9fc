using System.Runtime.CompilerServices;
using Helia.Libp2p;
using Helia.Multiformats;

namespace Helia.Cli.Http.Rpc;

public static partial class KuboRpcEndpoints
{
    private static readonly TimeSpan s_pingTimeout = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan s_pingInterval = TimeSpan.FromSeconds(1);

    private static void MapPing(Action<string, Func<RpcRequest, Task>> map, KuboRpcBackend backend)
    {
        if (backend.Swarm is not { } swarm)
        {
            return;
        }

        map("ping", async request =>
        {
            (PeerId peer, Multiaddr? address) = ParsePeerOrAddress(request.RequireArgument("peer ID"));
            long count = request.GetInt64("count") ?? 10;
            if (count <= 0)
            {
                throw new RpcException("ping count must be greater than 0", RpcErrorCode.Client);
            }

            if (peer == swarm.LocalPeer)
            {
                throw new RpcException("can't ping self", RpcErrorCode.Client);
            }

            await RpcResponses.WriteNdjsonAsync(request.Context, PingAsync(swarm, peer, address, count, request.Aborted));
        });
    }

    /// <summary>
    /// Kubo's ping results: a "PING peer." line, one result a second (Time in nanoseconds, as Go's Duration), then the
    /// average of those that succeeded; an error when none did.
    /// </summary>
    private static async IAsyncEnumerable<RpcPingResult> PingAsync(
        IRpcSwarm swarm, PeerId peer, Multiaddr? address, long count, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        yield return new RpcPingResult(false, 0, $"PING {peer}.");
        if (address is not null && await TryConnectAsync(swarm, address, cancellationToken) is { } dialError)
        {
            yield return new RpcPingResult(false, 0, $"Ping error: {dialError}");
            throw new RpcException("ping failed");
        }

        TimeSpan total = TimeSpan.Zero;
        int succeeded = 0;
        for (long i = 0; i < count; i++)
        {
            if (i > 0)
            {
                await Task.Delay(s_pingInterval, cancellationToken);
            }

            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(s_pingTimeout);
            RpcPingResult result;
            try
            {
                TimeSpan rtt = await swarm.PingAsync(peer, timeout.Token);
                total += rtt;
                succeeded++;
                result = new RpcPingResult(true, rtt.Ticks * 100, "");
            }
            catch (Exception ex) when (IsPingFailure(ex, cancellationToken))
            {
                result = new RpcPingResult(false, 0, $"Ping error: {(ex is OperationCanceledException ? "timed out" : ex.Message)}");
            }

            yield return result;
        }

        if (succeeded == 0)
        {
            throw new RpcException("ping failed");
        }

        yield return new RpcPingResult(true, 0, $"Average latency: {(total / succeeded).TotalMilliseconds:0.00}ms");
    }

    /// <summary>Dials the address given with the peer (Kubo adds it to the peer store); returns why that failed, or null.</summary>
    private static async Task<string?> TryConnectAsync(IRpcSwarm swarm, Multiaddr address, CancellationToken cancellationToken)
    {
        try
        {
            await swarm.ConnectAsync(address, cancellationToken);
            return null;
        }
        catch (Exception ex) when (IsPingFailure(ex, cancellationToken))
        {
            return ex.Message;
        }
    }

    /// <summary>A failure of the peer or the network, reported as a line, not a fault of the request.</summary>
    private static bool IsPingFailure(Exception ex, CancellationToken cancellationToken) =>
        ex is Libp2pException or TimeoutException or IOException or System.Net.Sockets.SocketException
        || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested);

    /// <summary>A bare peer ID, or an address ending in /p2p/ID (dialed first, as Kubo adds it to its peer store).</summary>
    private static (PeerId Peer, Multiaddr? Address) ParsePeerOrAddress(string text)
    {
        if (PeerId.TryParse(text, out PeerId peer))
        {
            return (peer, null);
        }

        Multiaddr address = RpcRequest.ParseMultiaddr(text);
        return (RpcRequest.RequirePeerId(address), address);
    }
}
