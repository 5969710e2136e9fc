using System.IO.Pipelines;
using Helia.Libp2p.Crypto;
using Helia.Multiformats;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Helia.Libp2p.Security.Noise;

/// <summary>
/// libp2p's Noise security protocol ("/noise": Noise_XX_25519_ChaChaPoly_SHA256). One instance per host: it holds the
/// identity key and a static X25519 key whose signed payload is made once.
/// </summary>
public sealed partial class NoiseProtocol : ISecurityProtocol, IDisposable
{
    public const string Id = "/noise";

    private readonly NoiseStaticKey _staticKey;
    private readonly ILogger<NoiseProtocol> _logger;

    public NoiseProtocol(PrivateKey identity, ILogger<NoiseProtocol>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(identity);
        _staticKey = new NoiseStaticKey(identity);
        _logger = logger ?? NullLogger<NoiseProtocol>.Instance;
    }

    public string ProtocolId => Id;

    /// <summary>For tests: replaces the handshake payload we send (e.g. with a bad signature).</summary>
    internal byte[] Payload
    {
        get => _staticKey.Payload;
        set => _staticKey.Payload = value;
    }

    public async ValueTask<SecureChannel> SecureAsync(IDuplexPipe connection, bool isInitiator, PeerId? expectedPeer, CancellationToken cancellationToken)
    {
        using var handshake = new NoiseHandshake(_staticKey, isInitiator);
        (NoiseCipher send, NoiseCipher receive) = await handshake.RunAsync(connection, cancellationToken);
        PeerId remote = handshake.RemotePeer;
        if (expectedPeer is { } expected && expected != remote)
        {
            send.Dispose();
            receive.Dispose();
            throw new PeerIdMismatchException(expected, remote);
        }

        Log.Secured(_logger, remote, isInitiator);
        var channel = new NoiseChannel(connection, send, receive, _logger);
        return new SecureChannel(channel, remote, handshake.RemoteIdentity!.Marshal());
    }

    public void Dispose() => _staticKey.Dispose();

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Debug, Message = "Noise handshake with {Peer} done (initiator: {IsInitiator})")]
        public static partial void Secured(ILogger logger, PeerId peer, bool isInitiator);
    }
}
