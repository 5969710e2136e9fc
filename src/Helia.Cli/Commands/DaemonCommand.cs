using System.CommandLine;
using System.Net;
using Helia.Cli.Daemon;
using Helia.Cli.Http.Rpc;
using Helia.Core.Repo;
using Helia.Libp2p.Host;
using Helia.Multiformats;

namespace Helia.Cli.Commands;

/// <summary>
/// `helia daemon [--listen MULTIADDR]... [--api MULTIADDR] [--no-mdns]`: runs the node with the RPC API, writes
/// &lt;repo&gt;/api, prints the swarm and API addresses and "Daemon is ready"; stops on Ctrl+C, SIGTERM or `helia shutdown`.
/// </summary>
internal static class DaemonCommand
{
    public static Command Create()
    {
        var listen = new Option<string[]>("--listen") { Description = "Swarm address to listen on (repeatable; port 0 allowed).", AllowMultipleArgumentsPerToken = false };
        var api = new Option<string?>("--api") { Description = "RPC API address (default from config: Addresses.API)." };
        var noMdns = new Option<bool>("--no-mdns") { Description = "Do not discover or announce peers by mDNS." };
        var command = new Command("daemon", "Run a network-connected helia node with the RPC API.") { listen, api, noMdns };
        CliAction.Set(command, async (parseResult, context) =>
        {
            CliRepo repo = context.Repo;
            // The node owns the repo (and its lock) once built; this using covers a failure before that (dispose is idempotent).
            await using Repo opened = await repo.OpenAsync(context.CancellationToken);
            RepoConfig config = opened.Config;
            string[] listenTexts = parseResult.GetValue(listen) is { Length: > 0 } listenGiven ? listenGiven : [.. config.Addresses.Swarm];
            Multiaddr[] listenAddresses = [.. listenTexts.Select(ParseAddress)];
            Multiaddr[] apiAddresses = parseResult.GetValue(api) is { } given ? [ParseAddress(given)] : [.. config.Addresses.Api.Select(ParseAddress)];

            var stopping = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            await using HeliaNode node = await new HeliaBuilder()
                .UseRepository(opened)
                .UseLibp2p(new Libp2pHostOptions { ListenAddresses = listenAddresses, EnableMdns = config.Discovery.Mdns.Enabled && !parseResult.GetValue(noMdns) })
                .UseBitswap()
                .BuildAsync(context.CancellationToken);

            // As in Kubo, an empty Addresses.API runs the node without the RPC API (and without an api file).
            await using RpcServer? server = apiAddresses.Length == 0 ? null
                : await RpcServer.StartAsync(apiAddresses, NodeRpcBackend.Create(node, opened, () => stopping.TrySetResult()), context.CancellationToken);
            if (server is not null)
            {
                await File.WriteAllTextAsync(repo.ApiFile, DialableAddress(server.Address).ToString(), context.CancellationToken);
            }

            try
            {
                foreach (Multiaddr address in node.Libp2p.ListenAddresses)
                {
                    await context.Output.WriteLineAsync($"Swarm listening on {address}");
                }

                foreach (Multiaddr address in server?.Addresses ?? [])
                {
                    await context.Output.WriteLineAsync($"RPC API server listening on {address}");
                }

                await context.Output.WriteLineAsync("Daemon is ready");
                await context.Output.FlushAsync(context.CancellationToken);
                try
                {
                    await stopping.Task.WaitAsync(context.CancellationToken);
                }
                catch (OperationCanceledException)
                {
                }

                await context.Output.WriteLineAsync("Received interrupt signal, shutting down...");
            }
            finally
            {
                if (server is not null)
                {
                    File.Delete(repo.ApiFile);
                }
            }

            return 0;
        });
        return command;
    }

    /// <summary>An API bound to 0.0.0.0 or :: is reached on loopback: that is what the api file says, as in Kubo.</summary>
    internal static Multiaddr DialableAddress(Multiaddr bound)
    {
        if (bound.TryGetTcpEndPoint(out IPEndPoint? endPoint) && (endPoint.Address.Equals(IPAddress.Any) || endPoint.Address.Equals(IPAddress.IPv6Any)))
        {
            IPAddress loopback = endPoint.Address.Equals(IPAddress.Any) ? IPAddress.Loopback : IPAddress.IPv6Loopback;
            return Multiaddr.FromTcpEndPoint(new IPEndPoint(loopback, endPoint.Port));
        }

        return bound;
    }

    private static Multiaddr ParseAddress(string text) =>
        Multiaddr.TryParse(text, out Multiaddr? address) ? address : throw new CliException($"invalid multiaddr \"{text}\"");
}
