using System.CommandLine;
using System.Diagnostics;
using Helia.Cli.Demo;
using Helia.Libp2p.Host;
using Helia.Multiformats;

namespace Helia.Cli.Commands;

/// <summary>
/// `helia demo-node` (hidden): one node of `helia demo`. It reports its steps as JSON lines on standard output and
/// stops when its standard input closes. The provider stores a file; the fetcher finds a peer by mDNS and fetches a CID.
/// </summary>
internal static class DemoNodeCommand
{
    public static Command Create()
    {
        var role = new Option<string>("--role") { Required = true };
        role.AcceptOnlyFromAmong("provider", "fetcher");
        var repo = new Option<string>("--repo") { Required = true };
        var file = new Option<FileInfo?>("--file");
        var cid = new Option<string?>("--cid");
        var command = new Command("demo-node", "One node of `helia demo`.") { role, repo, file, cid };
        command.Hidden = true;
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            try
            {
                await RunAsync(parseResult.GetValue(role)!, parseResult.GetValue(repo)!, parseResult.GetValue(file), parseResult.GetValue(cid), cancellationToken);
                return 0;
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                Report(new DemoEvent(DemoEvent.Failed, Text: ex.Message));
                return 1;
            }
        });
        return command;
    }

    private static async Task RunAsync(string role, string repo, FileInfo? file, string? cidText, CancellationToken cancellationToken)
    {
        HeliaNode node = await new HeliaBuilder()
            .UseRepository(repo)
            .UseLibp2p(new Libp2pHostOptions { ListenAddresses = [Multiaddr.Parse("/ip4/0.0.0.0/tcp/0")], EnableMdns = true })
            .UseBitswap()
            .BuildUnstartedAsync(cancellationToken);
        await using (node)
        {
            bool fetcher = role == "fetcher";
            if (fetcher)
            {
                node.Libp2p.PeerDiscovered += (_, e) => Report(new DemoEvent(DemoEvent.Discovered, Peer: e.Peer.ToString(), ElapsedMs: SinceProcessStart()));
                node.Libp2p.PeerConnected += (_, e) => Report(new DemoEvent(DemoEvent.Connected, Peer: e.Peer.ToString(), ElapsedMs: SinceProcessStart()));
            }

            await node.StartAsync(cancellationToken);
            Report(new DemoEvent(DemoEvent.Started, Peer: node.Id.ToString(),
                Addresses: [.. node.Libp2p.ListenAddresses.Select(a => a.ToString())], ElapsedMs: SinceProcessStart()));

            if (fetcher)
            {
                Cid cid = Cid.Parse(cidText ?? throw new ArgumentException("The fetcher needs --cid."));
                ReadOnlyMemory<byte> bytes = await node.Blockstore.GetAsync(cid, cancellationToken);   // verified against the CID before it is stored
                Report(new DemoEvent(DemoEvent.Fetched, Cid: cid.ToString(), Bytes: bytes.Length,
                    Text: Convert.ToBase64String(bytes.Span), ElapsedMs: SinceProcessStart()));
            }
            else
            {
                byte[] bytes = await File.ReadAllBytesAsync((file ?? throw new ArgumentException("The provider needs --file.")).FullName, cancellationToken);
                Cid cid = Cid.Compute(Multicodec.Raw, bytes);
                await node.Blockstore.PutAsync(cid, bytes, cancellationToken);
                Report(new DemoEvent(DemoEvent.Stored, Cid: cid.ToString(), Bytes: bytes.Length, ElapsedMs: SinceProcessStart()));
            }

            // Serve (or stay reachable) until `helia demo` closes our standard input.
            await Console.In.ReadToEndAsync(cancellationToken);
        }
    }

    private static void Report(DemoEvent demoEvent)
    {
        lock (Console.Out)
        {
            Console.Out.WriteLine(demoEvent.ToJson());
            Console.Out.Flush();
        }
    }

    private static double SinceProcessStart()
    {
        using var self = Process.GetCurrentProcess();
        return (DateTime.Now - self.StartTime).TotalMilliseconds;
    }
}
