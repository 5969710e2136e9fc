using System.Diagnostics;

namespace Helia.Bitswap.Engine;

/// <summary>
/// Paces sends to a byte rate shared by every peer: each send reserves its bytes on a timeline that advances at the
/// rate, and waits until its reservation starts. A rate of zero lets everything through.
/// </summary>
internal sealed class BandwidthLimiter(long bytesPerSecond, TimeProvider? timeProvider = null)
{
    private readonly TimeProvider _time = timeProvider ?? TimeProvider.System;
    private readonly Lock _lock = new();
    private long _nextFreeTicks;

    public Task WaitAsync(int bytes, CancellationToken cancellationToken)
    {
        if (bytesPerSecond <= 0)
        {
            return Task.CompletedTask;
        }

        long now = _time.GetTimestamp();
        long cost = (long)((double)bytes * _time.TimestampFrequency / bytesPerSecond);
        long start;
        lock (_lock)
        {
            start = Math.Max(_nextFreeTicks, now);
            _nextFreeTicks = start + cost;
        }

        long waitTicks = start - now;
        if (waitTicks <= 0)
        {
            return Task.CompletedTask;
        }

        Debug.Assert(_time.TimestampFrequency > 0);
        return Task.Delay(TimeSpan.FromSeconds((double)waitTicks / _time.TimestampFrequency), _time, cancellationToken);
    }
}
