using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using Helia.Cli.Demo;

namespace Helia.Cli.Commands;

/// <summary>
/// `helia demo`: the two-terminal scenario in one command. Two nodes in two processes with fresh repos; the first
/// stores the text, the second finds it by mDNS (no address is given), fetches the block by Bitswap, verifies it
/// against its CID and prints it. Each step is printed with its measured time; everything is cleaned up.
/// </summary>
internal static class DemoCommand
{
    public static Command Create()
    {
        var text = new Option<string>("--text") { Description = "The text the first node stores.", DefaultValueFactory = _ => "Hello World" };
        var file = new Option<FileInfo?>("--file") { Description = "Store this file's bytes instead of --text." };
        var timeout = new Option<int>("--timeout") { Description = "Seconds to wait for each step.", DefaultValueFactory = _ => 30 };
        var command = new Command("demo", "Run two nodes that find each other by mDNS and exchange a block by Bitswap.") { text, file, timeout };
        command.SetAction(async (parseResult, cancellationToken) => await RunAsync(
            parseResult.GetValue(file) is { } path
                ? await File.ReadAllBytesAsync(path.FullName, cancellationToken)
                : Encoding.UTF8.GetBytes(parseResult.GetValue(text)!),
            TimeSpan.FromSeconds(parseResult.GetValue(timeout)),
            parseResult.InvocationConfiguration.Output,
            parseResult.InvocationConfiguration.Error,
            cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(byte[] content, TimeSpan stepTimeout, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        string root = Directory.CreateTempSubdirectory("helia-demo-").FullName;
        string contentFile = Path.Combine(root, "content");
        await File.WriteAllBytesAsync(contentFile, content, cancellationToken);
        var clock = Stopwatch.StartNew();
        void Step(string node, string what) =>
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"[{clock.Elapsed.TotalMilliseconds,8:F1} ms]  {node,-13}  {what}"));

        await output.WriteLineAsync("Helia.NET demo: two nodes in two processes; no address is given to either.");
        try
        {
            await using DemoNodeProcess provider = DemoNodeProcess.Start(
                ["demo-node", "--role", "provider", "--repo", Path.Combine(root, "a"), "--file", contentFile]);
            DemoEvent a = await WaitAsync(provider, DemoEvent.Started, stepTimeout, cancellationToken);
            Step("store node", $"started: {a.Peer} (pid {provider.ProcessId}) on {string.Join(", ", a.Addresses ?? [])}");
            DemoEvent stored = await WaitAsync(provider, DemoEvent.Stored, stepTimeout, cancellationToken);
            Step("store node", $"stored {stored.Bytes} bytes as {stored.Cid}");

            long fetcherStarted = Stopwatch.GetTimestamp();
            await using DemoNodeProcess fetcher = DemoNodeProcess.Start(
                ["demo-node", "--role", "fetcher", "--repo", Path.Combine(root, "b"), "--cid", stored.Cid!]);
            DemoEvent b = await WaitAsync(fetcher, DemoEvent.Started, stepTimeout, cancellationToken);
            Step("retrieve node", $"started: {b.Peer} (pid {fetcher.ProcessId}), with an empty blockstore");
            DemoEvent discovered = await WaitAsync(fetcher, DemoEvent.Discovered, stepTimeout, cancellationToken);
            Step("retrieve node", $"discovered the store node by mDNS ({Since(discovered)} after its start)");
            DemoEvent connected = await WaitAsync(fetcher, DemoEvent.Connected, stepTimeout, cancellationToken);
            Step("retrieve node", $"connected to the store node ({Since(connected)} after its start)");
            DemoEvent fetched = await WaitAsync(fetcher, DemoEvent.Fetched, stepTimeout, cancellationToken);
            Step("retrieve node", $"fetched {fetched.Bytes} bytes by Bitswap, verified against the CID and stored ({Since(fetched)} after its start)");

            byte[] received = Convert.FromBase64String(fetched.Text ?? "");
            if (!received.AsSpan().SequenceEqual(content))
            {
                throw new DemoFailedException("The retrieve node returned bytes that differ from what the store node stored.");
            }

            Step("retrieve node", received.Length <= 256 && IsText(received) ? $"returned \"{Encoding.UTF8.GetString(received)}\"" : $"returned the {received.Length} bytes the store node stored");
            await output.WriteLineAsync($"CID: {stored.Cid}");
            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"Done in {clock.Elapsed.TotalSeconds:F2} s (retrieve node: {Stopwatch.GetElapsedTime(fetcherStarted).TotalMilliseconds:F0} ms from process start to verified block)."));
            return 0;
        }
        catch (DemoFailedException ex)
        {
            await error.WriteLineAsync($"Error: {ex.Message}");
            return 1;
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    private static async Task<DemoEvent> WaitAsync(DemoNodeProcess node, string name, TimeSpan timeout, CancellationToken cancellationToken)
    {
        try
        {
            return await node.WaitForAsync(name, cancellationToken).WaitAsync(timeout, cancellationToken);
        }
        catch (TimeoutException)
        {
            throw new DemoFailedException($"No '{name}' from the node (pid {node.ProcessId}) within {timeout.TotalSeconds:F0} s.");
        }
    }

    private static string Since(DemoEvent demoEvent) =>
        string.Create(CultureInfo.InvariantCulture, $"{demoEvent.ElapsedMs:F1} ms");

    private static bool IsText(byte[] bytes)
    {
        foreach (byte b in bytes)
        {
            if (b < 0x20 || b > 0x7e)
            {
                return false;
            }
        }

        return true;
    }
}
