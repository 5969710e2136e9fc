using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Helia.Benchmarks.Report;

namespace Helia.Benchmarks.Limits;

/// <summary>
/// What this machine can do at best, measured in the same run as the benchmarks so that the ratios mean something:
/// one core's SHA-256 and ChaCha20-Poly1305 rates from `openssl speed`, and TCP throughput between two processes on loopback.
/// </summary>
internal sealed record MachineLimits(Spread? Sha256, Spread? ChaCha20Poly1305, Spread LoopbackTcp)
{
    public const string Sha256Name = "openssl sha256, 256 KiB, one core";
    public const string ChaChaName = "openssl chacha20-poly1305, 64 KiB, one core";

    private const long TcpBytes = 1L << 30;
    private const int BufferSize = 256 * 1024;

    public static async Task<MachineLimits> MeasureAsync(int runs, CancellationToken cancellationToken)
    {
        Spread? sha256 = await OpensslAsync("sha256", 262144, runs, cancellationToken);
        Spread? chacha = await OpensslAsync("chacha20-poly1305", 65536, runs, cancellationToken);
        var tcp = new List<double>();
        for (int run = 0; run < runs; run++)
        {
            tcp.Add(await LoopbackTcpAsync(TcpBytes, cancellationToken));
        }

        return new(sha256, chacha, Spread.RateFromMs(Spread.Of(tcp), TcpBytes));
    }

    public List<Figure> ToFigures()
    {
        var figures = new List<Figure>();
        if (Sha256 is Spread sha)
        {
            figures.Add(new($"{Sha256Name} (MB/s)", sha));
            figures.Add(new($"openssl sha256 x {Environment.ProcessorCount} cores (MB/s, all-core estimate)", sha.Scale(Environment.ProcessorCount)));
        }

        if (ChaCha20Poly1305 is Spread chacha)
        {
            figures.Add(new($"{ChaChaName} (MB/s)", chacha));
        }

        figures.Add(new("loopback TCP between two processes, 1 GiB (MB/s)", LoopbackTcp));
        return figures;
    }

    /// <summary>The child side of <see cref="LoopbackTcpAsync"/>: connects and sends <c>--bytes</c> zero bytes.</summary>
    public static async Task<int> SendAsync(string[] args)
    {
        int port = int.Parse(args[Array.IndexOf(args, "--port") + 1], CultureInfo.InvariantCulture);
        long bytes = long.Parse(args[Array.IndexOf(args, "--bytes") + 1], CultureInfo.InvariantCulture);
        using var client = new TcpClient(AddressFamily.InterNetwork) { NoDelay = true };
        await client.ConnectAsync(IPAddress.Loopback, port);
        await using NetworkStream stream = client.GetStream();
        byte[] buffer = new byte[BufferSize];
        for (long sent = 0; sent < bytes; sent += BufferSize)
        {
            await stream.WriteAsync(buffer.AsMemory(0, (int)Math.Min(BufferSize, bytes - sent)));
        }

        client.Client.Shutdown(SocketShutdown.Send);
        return 0;
    }

    /// <summary>Receives <paramref name="bytes"/> from a child process on loopback; the time (ms) from the first byte to the last.</summary>
    private static async Task<double> LoopbackTcpAsync(long bytes, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromMinutes(1));
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var start = new ProcessStartInfo(Self.Command) { UseShellExecute = false };
        foreach (string a in (string[])[.. Self.Prefix, "tcp-send", "--port", ((IPEndPoint)listener.LocalEndpoint).Port.ToString(CultureInfo.InvariantCulture),
            "--bytes", bytes.ToString(CultureInfo.InvariantCulture)])
        {
            start.ArgumentList.Add(a);
        }

        using Process child = Process.Start(start) ?? throw new InvalidOperationException("Could not start the TCP sender.");
        try
        {
            using TcpClient client = await listener.AcceptTcpClientAsync(timeout.Token);
            listener.Stop();
            await using NetworkStream stream = client.GetStream();
            byte[] buffer = new byte[BufferSize];
            long received = await stream.ReadAsync(buffer, timeout.Token);
            long started = Stopwatch.GetTimestamp();
            int read;
            while ((read = await stream.ReadAsync(buffer, timeout.Token)) > 0)
            {
                received += read;
            }

            double ms = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            await child.WaitForExitAsync(timeout.Token);
            return received == bytes
                ? ms
                : throw new InvalidOperationException($"The TCP sender sent {received} bytes, not {bytes}.");
        }
        finally
        {
            listener.Stop();
            if (!child.HasExited)
            {
                child.Kill(entireProcessTree: true);
            }
        }
    }

    /// <summary>openssl's single-core rate in MB/s, <paramref name="runs"/> times 1 s; null without openssl.</summary>
    private static async Task<Spread?> OpensslAsync(string algorithm, int bytes, int runs, CancellationToken cancellationToken)
    {
        var rates = new List<double>();
        for (int run = 0; run < runs; run++)
        {
            try
            {
                var start = new ProcessStartInfo("openssl") { RedirectStandardOutput = true, RedirectStandardError = true };
                foreach (string a in new[] { "speed", "-evp", algorithm, "-bytes", bytes.ToString(CultureInfo.InvariantCulture), "-seconds", "1" })
                {
                    start.ArgumentList.Add(a);
                }

                using Process process = Process.Start(start)!;
                Task<string> errors = process.StandardError.ReadToEndAsync(cancellationToken);
                string last = (await process.StandardOutput.ReadToEndAsync(cancellationToken)).Trim().Split('\n')[^1];
                await errors;
                await process.WaitForExitAsync(cancellationToken);
                string rate = last.Split(' ', StringSplitOptions.RemoveEmptyEntries)[^1].TrimEnd('k');
                rates.Add(double.Parse(rate, CultureInfo.InvariantCulture) * 1000 / 1e6);
            }
            catch (Exception ex) when (ex is System.ComponentModel.Win32Exception or FormatException or IndexOutOfRangeException)
            {
                Console.Error.WriteLine($"openssl speed {algorithm} failed: {ex.Message}");
                return null;
            }
        }

        return Spread.Of(rates);
    }
}
