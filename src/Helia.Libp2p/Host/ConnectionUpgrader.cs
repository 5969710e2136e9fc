using System.IO.Pipelines;
using Helia.Libp2p.Negotiation;
using Helia.Multiformats;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Helia.Libp2p.Host;

/// <summary>
/// Turns a raw transport connection into a libp2p connection:
/// raw → multistream (security, e.g. /noise) → handshake → multistream (muxer, e.g. /yamux/1.0.0) → muxer.
/// A failure at any step aborts the raw connection with the reason (logged once) and rethrows.
/// </summary>
public sealed partial class ConnectionUpgrader
{
    private readonly IReadOnlyList<ISecurityProtocol> _security;
    private readonly IReadOnlyList<IStreamMuxer> _muxers;
    private readonly ProtocolRegistry _protocols;
    private readonly ConnectionUpgraderOptions _options;
    private readonly ILogger _logger;
    private readonly string[] _securityIds;
    private readonly string[] _muxerIds;

    public ConnectionUpgrader(
        IReadOnlyList<ISecurityProtocol> security,
        IReadOnlyList<IStreamMuxer> muxers,
        ProtocolRegistry protocols,
        ConnectionUpgraderOptions? options = null,
        ILogger<ConnectionUpgrader>? logger = null)
    {
        if (security.Count == 0 || muxers.Count == 0)
        {
            throw new ArgumentException("At least one security protocol and one muxer are needed.");
        }

        _security = security;
        _muxers = muxers;
        _protocols = protocols;
        _options = options ?? new ConnectionUpgraderOptions();
        _options.Validate();
        _logger = logger ?? NullLogger<ConnectionUpgrader>.Instance;
        _securityIds = [.. security.Select(s => s.ProtocolId)];
        _muxerIds = [.. muxers.Select(m => m.ProtocolId)];
    }

    public ProtocolRegistry Protocols => _protocols;

    /// <summary>Upgrades a connection we dialed; <paramref name="expectedPeer"/> (from a /p2p/ address) must match the remote identity.</summary>
    public ValueTask<Libp2pConnection> UpgradeOutboundAsync(ITransportConnection connection, PeerId? expectedPeer, CancellationToken cancellationToken) =>
        UpgradeAsync(connection, isInitiator: true, expectedPeer, cancellationToken);

    /// <summary>Upgrades a connection a listener accepted.</summary>
    public ValueTask<Libp2pConnection> UpgradeInboundAsync(ITransportConnection connection, CancellationToken cancellationToken) =>
        UpgradeAsync(connection, isInitiator: false, expectedPeer: null, cancellationToken);

    private async ValueTask<Libp2pConnection> UpgradeAsync(
        ITransportConnection connection, bool isInitiator, PeerId? expectedPeer, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, connection.Closed);
        timeout.CancelAfter(_options.HandshakeTimeout);
        SecureChannel? channel = null;
        try
        {
            string securityId = await NegotiateAsync(connection, _securityIds, isInitiator, timeout.Token);
            ISecurityProtocol security = _security.First(s => s.ProtocolId == securityId);
            channel = await security.SecureAsync(connection, isInitiator, expectedPeer, timeout.Token);

            string muxerId = await NegotiateAsync(channel, _muxerIds, isInitiator, timeout.Token);
            IStreamMuxer muxer = _muxers.First(m => m.ProtocolId == muxerId);
            IMuxedConnection muxed = muxer.Start(channel, isInitiator);
            Log.Upgraded(_logger, channel.RemotePeer, connection.RemoteAddress, isInitiator, securityId, muxerId);

            // The negotiation's last read may have run on the transport's receive loop (TCP runs the reader of its Input
            // inline): hand the connection over from the thread pool, so the caller's code never holds up its receiving.
            await Task.Yield();
            return new Libp2pConnection(connection, channel, muxed, isInitiator, _protocols, _options, _logger);
        }
        catch (Exception ex)
        {
            Exception reason = ex is OperationCanceledException && !cancellationToken.IsCancellationRequested
                ? new TimeoutException($"Upgrading the connection with {connection.RemoteAddress} did not finish within {_options.HandshakeTimeout.TotalSeconds:0.#} s (or it closed).", ex)
                : ex;
            Log.UpgradeFailed(_logger, connection.RemoteAddress, isInitiator, reason.Message, reason);
            connection.Abort(reason);
            if (channel is not null)
            {
                await channel.DisposeAsync();
            }

            await connection.DisposeAsync();
            if (ReferenceEquals(reason, ex))
            {
                throw;
            }

            throw reason;
        }
    }

    private static ValueTask<string> NegotiateAsync(IDuplexPipe pipe, string[] protocols, bool isInitiator, CancellationToken cancellationToken) =>
        isInitiator
            ? MultistreamSelect.SelectAsync(pipe, protocols, cancellationToken)
            : MultistreamSelect.ListenAsync(pipe, protocols, cancellationToken);

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Debug, Message = "Connection with {Peer} at {Address} upgraded (initiator: {IsInitiator}, {Security}, {Muxer})")]
        public static partial void Upgraded(ILogger logger, PeerId peer, Multiaddr address, bool isInitiator, string security, string muxer);

        [LoggerMessage(Level = LogLevel.Information, Message = "Upgrading the connection with {Address} failed (initiator: {IsInitiator}): {Reason}")]
        public static partial void UpgradeFailed(ILogger logger, Multiaddr address, bool isInitiator, string reason, Exception exception);
    }
}
