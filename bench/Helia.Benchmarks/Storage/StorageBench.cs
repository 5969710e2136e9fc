using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Helia.Benchmarks.Report;
using Helia.Core.Blocks;
using Helia.Multiformats;

namespace Helia.Benchmarks.Storage;

/// <summary>
/// Issue 5's storage figures: the flatfs blockstore's put and get of 10,000 blocks of 256 KiB and put of 100,000
/// blocks of 1 KiB, beside what <c>dd</c> writes to the same folder. Each put is timed alone, so generating and
/// hashing the blocks is not counted; the store's own work (temp file, optional fsync, rename; on get, the read
/// and the hash check) is.
/// </summary>
internal static partial class StorageBench
{
    private const int LargeCount = 10_000;
    private const int LargeSize = 256 * 1024;
    private const int SmallCount = 100_000;
    private const int SmallSize = 1024;

    // fsync per block costs milliseconds on this kind of disk: a durable put of all 100,000 small blocks would take
    // minutes, so the durable small-block rate is measured on the first blocks only.
    private const int SmallDurableCount = 2_000;

    public static async Task<List<Figure>> RunAsync(string folder, int runs, CancellationToken cancellationToken)
    {
        var samples = new Samples();
        for (int run = 0; run < runs; run++)
        {
            string dir = Path.Combine(folder, $"run-{Environment.ProcessId}-{run}");
            Directory.CreateDirectory(dir);
            try
            {
                samples.Add("dd", await DdAsync(dir, durable: false, cancellationToken));
                samples.Add("dd durable", await DdAsync(dir, durable: true, cancellationToken));
                samples.Add("put large", await PutAsync(Path.Combine(dir, "large"), LargeCount, LargeSize, sync: false, cancellationToken));
                samples.Add("get large", await GetAllAsync(Path.Combine(dir, "large"), LargeCount, LargeSize, cancellationToken));
                samples.Add("put large durable", await PutAsync(Path.Combine(dir, "large-durable"), LargeCount, LargeSize, sync: true, cancellationToken));
                samples.Add("put small", await PutAsync(Path.Combine(dir, "small"), SmallCount, SmallSize, sync: false, cancellationToken));
                samples.Add("put small durable", await PutAsync(Path.Combine(dir, "small-durable"), SmallDurableCount, SmallSize, sync: true, cancellationToken));
            }
            finally
            {
                Directory.Delete(dir, recursive: true);
            }
        }

        const long largeBytes = (long)LargeCount * LargeSize;
        Spread dd = Spread.RateFromMs(Spread.Of(samples["dd"]), largeBytes);
        Spread ddDurable = Spread.RateFromMs(Spread.Of(samples["dd durable"]), largeBytes);
        const string ddName = "dd bs=256K count=10000 to the same folder";
        const string ddDurableName = ddName + " conv=fdatasync";
        return
        [
            new("flatfs put, 10,000 x 256 KiB, no fsync (MB/s)", Spread.RateFromMs(Spread.Of(samples["put large"]), largeBytes), dd, ddName),
            new("flatfs put, 10,000 x 256 KiB, no fsync (blocks/s)", BlocksPerSecond(samples["put large"], LargeCount)),
            new("flatfs put, 10,000 x 256 KiB, fsync each (MB/s)", Spread.RateFromMs(Spread.Of(samples["put large durable"]), largeBytes), ddDurable, ddDurableName),
            new("flatfs put, 10,000 x 256 KiB, fsync each (blocks/s)", BlocksPerSecond(samples["put large durable"], LargeCount)),
            new("flatfs get + verify, 10,000 x 256 KiB, page cache warm (MB/s)", Spread.RateFromMs(Spread.Of(samples["get large"]), largeBytes)),
            new("flatfs get + verify, 10,000 x 256 KiB, page cache warm (blocks/s)", BlocksPerSecond(samples["get large"], LargeCount)),
            new("flatfs put, 100,000 x 1 KiB, no fsync (blocks/s)", BlocksPerSecond(samples["put small"], SmallCount)),
            new($"flatfs put, {SmallDurableCount:N0} x 1 KiB, fsync each (blocks/s)", BlocksPerSecond(samples["put small durable"], SmallDurableCount)),
        ];
    }

    private static Spread BlocksPerSecond(List<double> ms, int count)
    {
        Spread time = Spread.Of(ms);
        return new(count * 1e3 / time.Max, count * 1e3 / time.Median, count * 1e3 / time.Min);
    }

    /// <summary>Puts <paramref name="count"/> distinct blocks; returns the sum of the put calls' times in ms.</summary>
    private static async Task<double> PutAsync(string root, int count, int size, bool sync, CancellationToken cancellationToken)
    {
        var store = new FlatFsBlockstore(root, new FlatFsBlockstoreOptions { Sync = sync });
        byte[] bytes = XorShift32.Generate(seed: 1, size);
        long ticks = 0;
        for (int i = 0; i < count; i++)
        {
            BitConverter.TryWriteBytes(bytes, i);     // distinct bytes, so distinct blocks
            Cid cid = Cid.CreateV1(Multicodec.Raw, Multihash.Compute(Multicodec.Sha2_256, bytes));
            long start = Stopwatch.GetTimestamp();
            await store.PutAsync(cid, bytes, cancellationToken);
            ticks += Stopwatch.GetTimestamp() - start;
        }

        return ticks * 1e3 / Stopwatch.Frequency;
    }

    /// <summary>Reads back every block that <see cref="PutAsync"/> wrote, each verified against its CID; time in ms.</summary>
    private static async Task<double> GetAllAsync(string root, int count, int size, CancellationToken cancellationToken)
    {
        var store = new FlatFsBlockstore(root, new FlatFsBlockstoreOptions { VerifyOnRead = true });
        long start = Stopwatch.GetTimestamp();
        long bytes = 0;
        int blocks = 0;
        await foreach (Block block in store.GetAllAsync(cancellationToken))
        {
            bytes += block.Bytes.Length;
            blocks++;
        }

        double ms = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        return blocks == count && bytes == (long)count * size
            ? ms
            : throw new InvalidOperationException($"Read back {blocks} blocks of {bytes} bytes, expected {count} of {(long)count * size}.");
    }

    /// <summary>The time dd takes to write the same number of bytes to one file in the folder, in ms (from dd's own report).</summary>
    private static async Task<double> DdAsync(string dir, bool durable, CancellationToken cancellationToken)
    {
        string file = Path.Combine(dir, "dd.tmp");
        var start = new ProcessStartInfo("dd") { RedirectStandardError = true, UseShellExecute = false, Environment = { ["LC_ALL"] = "C" } };
        foreach (string arg in (string[])["if=/dev/zero", $"of={file}", "bs=256K", $"count={LargeCount}", .. durable ? ["conv=fdatasync"] : Array.Empty<string>()])
        {
            start.ArgumentList.Add(arg);
        }

        using Process dd = Process.Start(start) ?? throw new InvalidOperationException("dd did not start.");
        string report = await dd.StandardError.ReadToEndAsync(cancellationToken);
        await dd.WaitForExitAsync(cancellationToken);
        File.Delete(file);
        Match seconds = DdSeconds().Match(report);
        return dd.ExitCode == 0 && seconds.Success
            ? double.Parse(seconds.Groups[1].Value, CultureInfo.InvariantCulture) * 1e3
            : throw new InvalidOperationException($"dd failed: {report}");
    }

    // "2621440000 bytes (2.6 GB, 2.4 GiB) copied, 1.1 s, 2.3 GB/s"
    [GeneratedRegex(@"copied, ([0-9.]+) s")]
    private static partial Regex DdSeconds();
}
