using Helia.Bitswap;
using Helia.Core.Blocks;
using Helia.Core.Datastore;
using Helia.Core.Pins;
using Helia.Libp2p;
using Helia.Libp2p.Crypto;
using Helia.Multiformats;

namespace Helia;

/// <summary>
/// A running IPFS node: a blockstore that looks locally first and then asks the network through Bitswap, on a libp2p
/// host that owns every connection. Built by <see cref="HeliaBuilder"/>; <c>await using</c> stops it.
/// </summary>
public sealed class HeliaNode : IAsyncDisposable
{
    private readonly PrivateKey _privateKey;
    private readonly ILibp2pHost? _libp2p;
    private readonly List<IAsyncDisposable> _owned;
    private readonly GarbageCollector _gc;
    private int _started;
    private int _disposed;

    internal HeliaNode(
        PrivateKey privateKey,
        NetworkedBlockstore blockstore,
        IDatastore datastore,
        PinManager pins,
        GarbageCollector gc,
        ILibp2pHost? libp2p,
        BitswapService? bitswap,
        List<IAsyncDisposable> owned)
    {
        _privateKey = privateKey;
        Id = PeerId.FromMultihash(privateKey.PublicKey.ToPeerIdMultihash());
        Blockstore = blockstore;
        Datastore = datastore;
        Pins = pins;
        _gc = gc;
        _libp2p = libp2p;
        Bitswap = bitswap;
        _owned = owned;
    }

    /// <summary>Our peer ID, derived from the node's identity key.</summary>
    public PeerId Id { get; }

    /// <summary>Gets blocks locally first, then from the network (unless offline); every fetched block is verified.</summary>
    public INetworkedBlockstore Blockstore { get; }

    /// <summary>The blocks on this machine only (puts through it are safe from a concurrent garbage collection).</summary>
    public IBlockstore LocalBlockstore => ((NetworkedBlockstore)Blockstore).Local;

    /// <summary>The node's datastore: pins and other records (SQLite in a repository, in memory otherwise).</summary>
    public IDatastore Datastore { get; }

    /// <summary>The pin set: pinned DAGs survive <see cref="GarbageCollectAsync"/>.</summary>
    public PinManager Pins { get; }

    /// <summary>True when the node has no network (Kubo's --offline).</summary>
    public bool IsOffline => _libp2p is null;

    /// <summary>The libp2p host; an offline node has none.</summary>
    public ILibp2pHost Libp2p => _libp2p ?? throw new InvalidOperationException("This node is offline: it has no libp2p host.");

    /// <summary>The Bitswap service (stats, wantlists), or null when offline.</summary>
    public BitswapService? Bitswap { get; }

    /// <summary>The identity key's public half.</summary>
    public PublicKey PublicKey => _privateKey.PublicKey;

    /// <summary>
    /// Deletes every local block that no pin reaches (Kubo's repo gc) and yields each removed CID. Blocks put while it
    /// runs are kept; pin changes wait until it ends.
    /// </summary>
    public IAsyncEnumerable<Cid> GarbageCollectAsync(CancellationToken cancellationToken = default) => _gc.CollectAsync(cancellationToken);

    /// <summary>
    /// Keeps the blocks put from now until the result is disposed safe from <see cref="GarbageCollectAsync"/>: wrap an
    /// import and the pin that follows it (Kubo's add holds its GC lock the same way).
    /// </summary>
    public IDisposable KeepNewBlocksFromGc() => ((GcBlockstore)LocalBlockstore).KeepNewBlocks();

    /// <summary>Adds roots (besides pins) that garbage collection keeps, with everything they link to; dispose to remove.</summary>
    public IDisposable AddGcRootProvider(IGcRootProvider provider) => _gc.AddRootProvider(provider);

    /// <summary>Starts listening, discovery and Bitswap. Called by <see cref="HeliaBuilder.BuildAsync"/>.</summary>
    public async ValueTask StartAsync(CancellationToken cancellationToken = default)
    {
        if (Interlocked.Exchange(ref _started, 1) == 1)
        {
            throw new InvalidOperationException("The node is already started.");
        }

        if (_libp2p is not null)
        {
            Bitswap?.Start();   // handlers first, so the first connection already speaks Bitswap
            await _libp2p.StartAsync(cancellationToken);
        }
    }

    /// <summary>Stops the node and releases what it owns (the repo lock too); later calls do nothing.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        for (int i = _owned.Count - 1; i >= 0; i--)
        {
            await _owned[i].DisposeAsync();
        }

        _privateKey.Dispose();
    }
}
