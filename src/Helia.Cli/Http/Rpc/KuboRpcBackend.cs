using Helia.Core.Blocks;
using Helia.Core.Ipld;

namespace Helia.Cli.Http.Rpc;

/// <summary>
/// The parts of a node the RPC API serves. Each is optional: the endpoints of a missing part are not mapped (404, as
/// Kubo answers a command it does not have), so an offline repo or a test can serve a subset.
/// </summary>
public sealed class KuboRpcBackend
{
    public IRpcNode? Node { get; init; }

    public IBlockstore? Blocks { get; init; }

    /// <summary>The blocks on this machine only, for checks that must never wait on the network; <see cref="Blocks"/> when null.</summary>
    public IBlockstore? LocalBlocks { get; init; }

    public IRpcPins? Pins { get; init; }

    public IRpcRepo? Repo { get; init; }

    public IRpcConfig? Config { get; init; }

    public IRpcSwarm? Swarm { get; init; }

    public IRpcBitswap? Bitswap { get; init; }

    public IRpcUnixFS? UnixFS { get; init; }

    /// <summary>The codecs dag export walks DAGs with (raw and dag-pb by default).</summary>
    public BlockCodecs Codecs { get; init; } = BlockCodecs.CreateDefault();

    /// <summary>
    /// Keeps the blocks an add or block put stores safe from garbage collection until the returned scope ends (that is,
    /// until they are pinned); null when the node has no collector.
    /// </summary>
    public Func<IDisposable>? KeepNewBlocks { get; init; }

    /// <summary>Asks the daemon to stop; called after the shutdown response is sent.</summary>
    public Action? Shutdown { get; init; }

    /// <summary>Browser origins allowed besides the API's own loopback address (Kubo's API.HTTPHeaders.Access-Control-Allow-Origin).</summary>
    public IReadOnlyList<string> AllowedOrigins { get; init; } = [];
}
