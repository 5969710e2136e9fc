using Helia.Libp2p.Crypto;
using Helia.Libp2p.Muxing.Yamux;
using Helia.Libp2p.Security.Noise;
using Helia.Libp2p.Transports.Tcp;
using Helia.Multiformats;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Helia.Libp2p.Host;

public sealed partial class Libp2pHost
{
    /// <summary>
    /// A host with the standard stack: TCP, Noise (keyed by <paramref name="privateKey"/>) and Yamux, plus identify and
    /// ping (and mDNS if <see cref="Libp2pHostOptions.EnableMdns"/>). Call <see cref="StartAsync"/> to listen.
    /// The caller keeps ownership of <paramref name="privateKey"/>.
    /// </summary>
    public static Libp2pHost Create(Libp2pHostOptions? options, PrivateKey privateKey, ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(privateKey);
        ILoggerFactory factory = loggerFactory ?? NullLoggerFactory.Instance;
        var noise = new NoiseProtocol(privateKey, factory.CreateLogger<NoiseProtocol>());
        try
        {
            var upgrader = new ConnectionUpgrader(
                [noise],
                [new YamuxMuxer(logger: factory.CreateLogger<YamuxMuxer>())],
                new ProtocolRegistry(),
                logger: factory.CreateLogger<ConnectionUpgrader>());
            PeerId id = PeerId.FromMultihash(privateKey.PublicKey.ToPeerIdMultihash());
            var host = new Libp2pHost(
                id, privateKey.PublicKey.Marshal(), [new TcpTransport(logger: factory.CreateLogger<TcpTransport>())], upgrader, options, factory);
            host._owned.Add(noise);
            return host;
        }
        catch
        {
            noise.Dispose();
            throw;
        }
    }
}
