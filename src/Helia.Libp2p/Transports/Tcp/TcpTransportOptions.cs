using System.Buffers;

namespace Helia.Libp2p.Transports.Tcp;

public sealed class TcpTransportOptions
{
    public static readonly TimeSpan DefaultDialTimeout = TimeSpan.FromSeconds(10);
    public const int DefaultBacklog = 128;

    /// <summary>How long a dial may take before it fails with a <see cref="TimeoutException"/>.</summary>
    public TimeSpan DialTimeout { get; init; } = DefaultDialTimeout;

    public int Backlog { get; init; } = DefaultBacklog;

    /// <summary>Where each connection's send and receive buffers come from (and go back to as soon as they are drained).</summary>
    public MemoryPool<byte> MemoryPool { get; init; } = MemoryPool<byte>.Shared;

    public void Validate()
    {
        if (DialTimeout <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(DialTimeout), DialTimeout, "The dial timeout must be positive.");
        }

        if (Backlog <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(Backlog), Backlog, "The backlog must be positive.");
        }

        ArgumentNullException.ThrowIfNull(MemoryPool);
    }
}
