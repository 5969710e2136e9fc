using System.Text.Json;
using System.Text.RegularExpressions;
using Helia.Tests.Blocks;
using Helia.Tests.Cli;

namespace Helia.Interop.Tests;

/// <summary>`helia ping` through a running daemon to a js-libp2p peer (interop/js/echo-peer.mjs serves /ipfs/ping/1.0.0).</summary>
public sealed class PingInteropTests : IDisposable
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(60);
    private readonly TempDirectory _dir = new();

    private string Repo => _dir.Combine("repo");

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task HeliaPing_JsLibp2pPeerByAddress_PrintsKuboLinesWithEachRoundTrip()
    {
        NodePeer.SkipIfUnavailable();
        CancellationToken ct = TestContext.Current.CancellationToken;
        await using NodePeer js = NodePeer.Start("echo-peer.mjs");
        JsonElement info = await js.ReadJsonAsync(s_timeout, ct);
        string jsPeer = info.GetProperty("peerId").GetString()!;
        await using HeliaProcess daemon = await HeliaProcess.InitAndStartLoopbackDaemonAsync(Repo, s_timeout, ct);

        string output = await HeliaProcess.RunOkAsync(s_timeout, ct, "ping", "-n", "3", info.GetProperty("multiaddr").GetString()!, "--repo", Repo);

        string[] lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Equal(5, lines.Length);
        Assert.Equal($"PING {jsPeer}.", lines[0]);
        double[] times = [.. lines[1..4].Select(line => double.Parse(Regex.Match(line, @"^Pong received: time=(\d+\.\d\d) ms$").Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture))];
        Assert.All(times, time => Assert.InRange(time, 0.0, 10_000.0));
        Assert.Matches(@"^Average latency: \d+\.\d\dms$", lines[4]);

        // By peer ID alone once its address is known (the first ping dialed it).
        string again = await HeliaProcess.RunOkAsync(s_timeout, ct, "ping", "-n", "1", jsPeer, "--repo", Repo);
        Assert.Contains("Pong received: time=", again, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HeliaPing_SelfZeroCountMalformedOrUnreachable_CleanErrors()
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        await using HeliaProcess daemon = await HeliaProcess.InitAndStartLoopbackDaemonAsync(Repo, s_timeout, ct);
        using JsonDocument id = JsonDocument.Parse(await HeliaProcess.RunOkAsync(s_timeout, ct, "id", "--repo", Repo));
        string self = id.RootElement.GetProperty("ID").GetString()!;
        const string Unknown = "12D3KooWD3eckifWpRn9wQpMG9R9hX3sD158z7EqHWmweQAJU5SA";   // a valid ID nobody here has

        (int selfExit, _, string selfError) = await HeliaProcess.RunAsync(s_timeout, ct, "ping", self, "--repo", Repo);
        (int zeroExit, _, string zeroError) = await HeliaProcess.RunAsync(s_timeout, ct, "ping", "-n", "0", Unknown, "--repo", Repo);
        (int badExit, _, string badError) = await HeliaProcess.RunAsync(s_timeout, ct, "ping", "not-a-peer", "--repo", Repo);
        (int unknownExit, byte[] unknownOutput, string unknownError) = await HeliaProcess.RunAsync(s_timeout, ct, "ping", "-n", "1", Unknown, "--repo", Repo);
        (int deadExit, byte[] deadOutput, string deadError) = await HeliaProcess.RunAsync(s_timeout, ct, "ping", $"/ip4/127.0.0.1/tcp/1/p2p/{Unknown}", "--repo", Repo);

        Assert.Equal((1, 1, 1, 1, 1), (selfExit, zeroExit, badExit, unknownExit, deadExit));
        Assert.Contains("can't ping self", selfError, StringComparison.Ordinal);
        Assert.Contains("greater than 0", zeroError, StringComparison.Ordinal);
        Assert.Contains("not-a-peer", badError, StringComparison.Ordinal);
        Assert.Contains("Ping error: ", System.Text.Encoding.UTF8.GetString(unknownOutput), StringComparison.Ordinal);
        Assert.Contains("ping failed", unknownError, StringComparison.Ordinal);
        Assert.StartsWith($"PING {Unknown}.\nPing error: ", System.Text.Encoding.UTF8.GetString(deadOutput), StringComparison.Ordinal);   // a dead address fails as a ping, as in Kubo
        Assert.Contains("ping failed", deadError, StringComparison.Ordinal);
        Assert.All(new[] { selfError, zeroError, badError, unknownError, deadError }, error => Assert.DoesNotContain("   at ", error, StringComparison.Ordinal));
    }
}
