using Helia.Cli.Http.Rpc;
using Helia.Libp2p.Host;
using Helia.Libp2p.Protocols.Identify;

namespace Helia.Cli.Daemon;

/// <summary>id: the node's peer ID, public key (base64 protobuf, as Kubo), addresses with /p2p/, agent and protocols.</summary>
internal sealed class NodeIdentity(HeliaNode node) : IRpcNode
{
    public RpcIdentity GetIdentity()
    {
        string id = node.Id.ToString();
        string[] addresses = node.IsOffline ? [] : [.. node.Libp2p.ListenAddresses.Select(a => $"{a}/p2p/{id}")];
        string[] protocols = node.IsOffline || node.Libp2p is not Libp2pHost host ? [] : [.. host.Protocols.Order(StringComparer.Ordinal)];
        return new RpcIdentity(id, Convert.ToBase64String(node.PublicKey.Marshal()), addresses, IdentifyOptions.DefaultAgentVersion, protocols);
    }
}
