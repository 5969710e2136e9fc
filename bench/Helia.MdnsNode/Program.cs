using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Helia.Libp2p.Crypto;
using Helia.Libp2p.Discovery.Mdns;
using Helia.Libp2p.Host;
using Helia.Multiformats;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

// The mDNS benchmark node, the counterpart of `js-node.mjs mdns` (bench/README.md, mDNS rows), run as a child process
// inside a loopback-only network namespace only:
//   Helia.MdnsNode --service NAME            a host with mDNS on 127.0.0.1; prints {"ready":PEER} and runs until stdin closes
//   Helia.MdnsNode --service NAME --wait     the same; prints {"hostMs":…,"processMs":…} once it has a connected peer
//   … --warmup                               first runs two hosts in this process until they connect (on a service of
//                                            their own), so what follows runs on code that has already run once
// HELIA_LOG=Debug (any LogLevel name) writes the host's log to stderr with timestamps.
Dictionary<string, string> options = [];
for (int i = 0; i + 1 < args.Length; i++)
{
    if (args[i] == "--service")
    {
        options["service"] = args[++i];
    }
}

if (!options.TryGetValue("service", out string? service))
{
    Console.Error.WriteLine("usage: Helia.MdnsNode --service NAME [--wait] [--warmup]");
    return 2;
}

// Multicast must never leave this machine: as mdns-run does, refuse to start where anything but loopback is up.
if (!Helia.MdnsNode.LoopbackOnly.Check())
{
    return 2;
}

using ILoggerFactory logs = CreateLoggerFactory();
if (args.Contains("--warmup"))
{
    await WarmUpAsync(logs);
}

using var key = Ed25519PrivateKey.Generate();
await using Libp2pHost host = CreateHost(service, key, logs);
var connected = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
host.PeerConnected += (_, _) => connected.TrySetResult(Stopwatch.GetTimestamp());
long started = Stopwatch.GetTimestamp();
await host.StartAsync();
if (args.Contains("--wait"))
{
    long at = await connected.Task.WaitAsync(TimeSpan.FromSeconds(30));
    using var self = Process.GetCurrentProcess();
    double processMs = (DateTime.Now - self.StartTime).TotalMilliseconds - Stopwatch.GetElapsedTime(at).TotalMilliseconds;
    Print(("hostMs", Stopwatch.GetElapsedTime(started, at).TotalMilliseconds), ("processMs", processMs));
}
else
{
    Print(("ready", host.Id.ToString()));
}

await Console.In.ReadToEndAsync();
return 0;

// Auto-dial is on by default here; js-node.mjs dials on discovery, as js-libp2p does not auto-dial.
static Libp2pHost CreateHost(string service, PrivateKey key, ILoggerFactory logs) => Libp2pHost.Create(
    new Libp2pHostOptions
    {
        ListenAddresses = [Multiaddr.Parse("/ip4/127.0.0.1/tcp/0")],
        EnableMdns = true,
        Mdns = new MdnsOptions { ServiceName = service },
    },
    key,
    logs);

// Two hosts of this process find each other and connect, then stop: every step of the measured path (listen, mDNS
// both ways, TCP dial and accept, Noise and Yamux on both sides, identify) has run once.
static async Task WarmUpAsync(ILoggerFactory logs)
{
    string service = $"_warmup-{Random.Shared.Next():x8}._udp.local";
    using var firstKey = Ed25519PrivateKey.Generate();
    using var secondKey = Ed25519PrivateKey.Generate();
    await using Libp2pHost first = CreateHost(service, firstKey, logs);
    await using Libp2pHost second = CreateHost(service, secondKey, logs);
    var identified = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
    second.PeerIdentified += (_, _) => identified.TrySetResult();
    await first.StartAsync();
    await second.StartAsync();
    await identified.Task.WaitAsync(TimeSpan.FromSeconds(30));
}

static ILoggerFactory CreateLoggerFactory() =>
    Enum.TryParse(Environment.GetEnvironmentVariable("HELIA_LOG"), out LogLevel level)
        ? LoggerFactory.Create(logging => logging
            .AddSimpleConsole(o => (o.SingleLine, o.TimestampFormat) = (true, "HH:mm:ss.ffffff "))
            .AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace)
            .SetMinimumLevel(level))
        : NullLoggerFactory.Instance;

// One JSON line on stdout (written with Utf8JsonWriter: no reflection, so the same under Native AOT).
static void Print(params (string Name, object Value)[] fields)
{
    using var buffer = new MemoryStream();
    using (var json = new Utf8JsonWriter(buffer))
    {
        json.WriteStartObject();
        foreach ((string name, object value) in fields)
        {
            if (value is double number)
            {
                json.WriteNumber(name, number);
            }
            else
            {
                json.WriteString(name, Convert.ToString(value, CultureInfo.InvariantCulture));
            }
        }

        json.WriteEndObject();
    }

    Console.Out.WriteLine(System.Text.Encoding.UTF8.GetString(buffer.ToArray()));
    Console.Out.Flush();
}
