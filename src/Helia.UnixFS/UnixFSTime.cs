namespace Helia.UnixFS;

/// <summary>A UnixFS mtime: seconds since the Unix epoch (may be negative) and optional nanoseconds (1..999999999).</summary>
public readonly record struct UnixFSTime(long Seconds, uint? Nanoseconds = null)
{
    public static UnixFSTime FromDateTimeOffset(DateTimeOffset time)
    {
        long ticks = time.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks;
        long seconds = Math.DivRem(ticks, TimeSpan.TicksPerSecond, out long remainder);
        if (remainder < 0)
        {
            seconds--;
            remainder += TimeSpan.TicksPerSecond;
        }

        uint nanos = (uint)(remainder * 100);
        return new UnixFSTime(seconds, nanos == 0 ? null : nanos);
    }

    public DateTimeOffset ToDateTimeOffset() =>
        DateTimeOffset.UnixEpoch.AddTicks((Seconds * TimeSpan.TicksPerSecond) + ((Nanoseconds ?? 0) / 100));
}
