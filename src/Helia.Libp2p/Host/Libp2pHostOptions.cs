using Helia.Libp2p.Discovery.Mdns;
using Helia.Libp2p.Protocols.Identify;
using Helia.Multiformats;

namespace Helia.Libp2p.Host;

/// <summary>Settings of <see cref="Libp2pHost"/>.</summary>
public sealed class Libp2pHostOptions
{
    public const int DefaultMaxConnections = 300;
    public const int DefaultHighWater = 192;
    public const int DefaultLowWater = 160;
    public static readonly TimeSpan DefaultGracePeriod = TimeSpan.FromSeconds(20);
    public static readonly TimeSpan DefaultTrimInterval = TimeSpan.FromSeconds(10);
    public static readonly TimeSpan DefaultDialTimeout = TimeSpan.FromSeconds(10);
    public static readonly TimeSpan DefaultDiscoveredAddressTtl = TimeSpan.FromMinutes(10);

    /// <summary>Idle connections are kept by default: a node's peers (mDNS, explicit dials, Bitswap) stay connected.</summary>
    public static readonly TimeSpan DefaultIdleTimeout = Timeout.InfiniteTimeSpan;

    /// <summary>Where to listen; port 0 picks a free port (see <see cref="Libp2pHost.ListenAddresses"/> for the bound ones).</summary>
    public IReadOnlyList<Multiaddr> ListenAddresses { get; init; } = [Multiaddr.Parse("/ip4/0.0.0.0/tcp/0")];

    /// <summary>The hard cap: inbound connections past it are closed at once, dials past it fail.</summary>
    public int MaxConnections { get; init; } = DefaultMaxConnections;

    /// <summary>Above this many connections the oldest ones past their grace period are closed down to <see cref="LowWater"/>.</summary>
    public int HighWater { get; init; } = DefaultHighWater;

    public int LowWater { get; init; } = DefaultLowWater;

    /// <summary>New connections are never trimmed within this time.</summary>
    public TimeSpan GracePeriod { get; init; } = DefaultGracePeriod;

    /// <summary>How often the connection count is checked against <see cref="HighWater"/>.</summary>
    public TimeSpan TrimInterval { get; init; } = DefaultTrimInterval;

    /// <summary>
    /// A connection with no open stream, and none opened or closed for this long, is closed (rust-libp2p's
    /// idle_connection_timeout); a connection with an open stream is kept however long it is quiet.
    /// <see cref="Timeout.InfiniteTimeSpan"/> (the default) never closes idle connections.
    /// </summary>
    public TimeSpan IdleTimeout { get; init; } = DefaultIdleTimeout;

    /// <summary>The bound on one dial (all of a peer's addresses).</summary>
    public TimeSpan DialTimeout { get; init; } = DefaultDialTimeout;

    /// <summary>Identify every new connection (and answer identify requests).</summary>
    public bool EnableIdentify { get; init; } = true;

    public IdentifyOptions Identify { get; init; } = new();

    /// <summary>Answer /ipfs/ping/1.0.0.</summary>
    public bool EnablePing { get; init; } = true;

    /// <summary>Find peers on the local network by mDNS.</summary>
    public bool EnableMdns { get; init; }

    public MdnsOptions Mdns { get; init; } = new();

    /// <summary>Dial peers that mDNS discovers (js-libp2p leaves this to the application; we do it by default).</summary>
    public bool MdnsAutoDial { get; init; } = true;

    /// <summary>How long discovered addresses stay in the peer store.</summary>
    public TimeSpan DiscoveredAddressTtl { get; init; } = DefaultDiscoveredAddressTtl;

    public void Validate()
    {
        if (ListenAddresses is null)
        {
            throw new ArgumentException("ListenAddresses may be empty but not null.", nameof(ListenAddresses));
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(MaxConnections, 1, nameof(MaxConnections));
        ArgumentOutOfRangeException.ThrowIfLessThan(LowWater, 0, nameof(LowWater));
        ArgumentOutOfRangeException.ThrowIfLessThan(HighWater, LowWater, nameof(HighWater));
        ArgumentOutOfRangeException.ThrowIfLessThan(GracePeriod, TimeSpan.Zero, nameof(GracePeriod));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(TrimInterval, TimeSpan.Zero, nameof(TrimInterval));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(DialTimeout, TimeSpan.Zero, nameof(DialTimeout));
        if (IdleTimeout != Timeout.InfiniteTimeSpan)
        {
            ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(IdleTimeout, TimeSpan.Zero, nameof(IdleTimeout));
        }

        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(DiscoveredAddressTtl, TimeSpan.Zero, nameof(DiscoveredAddressTtl));
        Identify.Validate();
        Mdns.Validate();
    }
}
