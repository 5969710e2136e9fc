namespace Helia.Libp2p.Transports.Tcp;

public sealed class TcpTransportOptions
{
    public static readonly TimeSpan DefaultDialTimeout = TimeSpan.FromSeconds(10);
    public const int DefaultBacklog = 128;

    /// <summary>How long a dial may take before it fails with a <see cref="TimeoutException"/>.</summary>
    public TimeSpan DialTimeout { get; init; } = DefaultDialTimeout;

    public int Backlog { get; init; } = DefaultBacklog;

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
    }
}
