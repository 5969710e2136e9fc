using Helia.Cli.Http.Rpc;
using Helia.Core.Repo;
using Helia.UnixFS;

namespace Helia.Cli.Daemon;

/// <summary>Serves a <see cref="HeliaNode"/> through the RPC API: the glue between the node and the endpoints' small interfaces.</summary>
internal static class NodeRpcBackend
{
    public static KuboRpcBackend Create(HeliaNode node, Repo repo, Action? shutdown)
    {
        var unixfs = new HeliaUnixFS(node.Blockstore);
        return new KuboRpcBackend
        {
            Node = new NodeIdentity(node),
            Blocks = node.IsOffline ? node.LocalBlockstore : node.Blockstore,
            LocalBlocks = node.LocalBlockstore,
            Pins = new NodePins(node.Pins),
            Repo = new NodeRepo(node, repo.Path),
            Config = new NodeConfig(repo),
            Swarm = node.IsOffline ? null : new NodeSwarm(node.Libp2p),
            Bitswap = node.Bitswap is { } bitswap ? new NodeBitswap(bitswap) : null,
            UnixFS = new NodeUnixFS(unixfs, node.Blockstore),
            KeepNewBlocks = node.KeepNewBlocksFromGc,
            Shutdown = shutdown,
        };
    }
}
