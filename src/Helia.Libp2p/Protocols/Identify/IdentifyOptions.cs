using System.Reflection;

namespace Helia.Libp2p.Protocols.Identify;

/// <summary>Settings of <see cref="IdentifyService"/>.</summary>
public sealed class IdentifyOptions
{
    /// <summary>js-libp2p's limit for one identify message.</summary>
    public const int DefaultMaxMessageSize = 8 * 1024;
    public const int DefaultMaxAddresses = 64;
    public const int DefaultMaxProtocols = 128;
    public const string DefaultProtocolVersion = "ipfs/0.1.0";
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(10);
    public static readonly TimeSpan DefaultAddressTtl = TimeSpan.FromHours(1);

    /// <summary><c>helia-dotnet/&lt;version&gt;</c>, the version being this assembly's.</summary>
    public static string DefaultAgentVersion { get; } = "helia-dotnet/" + GetVersion();

    public string AgentVersion { get; init; } = DefaultAgentVersion;
    public string ProtocolVersion { get; init; } = DefaultProtocolVersion;

    /// <summary>Identify messages larger than this are refused (the stream is reset and the event logged).</summary>
    public int MaxMessageSize { get; init; } = DefaultMaxMessageSize;

    /// <summary>At most this many listen addresses and protocols are taken from a peer's message.</summary>
    public int MaxAddresses { get; init; } = DefaultMaxAddresses;
    public int MaxProtocols { get; init; } = DefaultMaxProtocols;

    /// <summary>How long an identify exchange may take.</summary>
    public TimeSpan Timeout { get; init; } = DefaultTimeout;

    /// <summary>How long the addresses a peer reported stay in the peer store.</summary>
    public TimeSpan AddressTtl { get; init; } = DefaultAddressTtl;

    public void Validate()
    {
        ArgumentException.ThrowIfNullOrEmpty(AgentVersion, nameof(AgentVersion));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxMessageSize, 64, nameof(MaxMessageSize));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxAddresses, 1, nameof(MaxAddresses));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxProtocols, 1, nameof(MaxProtocols));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(Timeout, TimeSpan.Zero, nameof(Timeout));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(AddressTtl, TimeSpan.Zero, nameof(AddressTtl));
    }

    private static string GetVersion()
    {
        string? informational = typeof(IdentifyOptions).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion;
        return informational?.Split('+')[0] ?? typeof(IdentifyOptions).Assembly.GetName().Version?.ToString(3) ?? "0.0.0";
    }
}
