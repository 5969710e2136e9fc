using Helia.Bitswap;
using Helia.Core.Blocks;
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
    private int _started;

    internal HeliaNode(PrivateKey privateKey, NetworkedBlockstore blockstore, ILibp2pHost? libp2p, BitswapService? bitswap, List<IAsyncDisposable> owned)
    {
        _privateKey = privateKey;
        Id = PeerId.FromMultihash(privateKey.PublicKey.ToPeerIdMultihash());
        Blockstore = blockstore;
        _libp2p = libp2p;
        Bitswap = bitswap;
        _owned = owned;
    }

    /// <summary>Our peer ID, derived from the node's identity key.</summary>
    public PeerId Id { get; }

    /// <summary>Gets blocks locally first, then from the network (unless offline); every fetched block is verified.</summary>
    public INetworkedBlockstore Blockstore { get; }

    /// <summary>The blocks on this machine only.</summary>
    public IBlockstore LocalBlockstore => ((NetworkedBlockstore)Blockstore).Local;

    /// <summary>True when the node has no network (Kubo's --offline).</summary>
    public bool IsOffline => _libp2p is null;

    /// <summary>The libp2p host; an offline node has none.</summary>
    public ILibp2pHost Libp2p => _libp2p ?? throw new InvalidOperationException("This node is offline: it has no libp2p host.");

    /// <summary>The Bitswap service (stats, wantlists), or null when offline.</summary>
    public BitswapService? Bitswap { get; }

    /// <summary>The identity key's public half.</summary>
    public PublicKey PublicKey => _privateKey.PublicKey;

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

    public async ValueTask DisposeAsync()
    {
        for (int i = _owned.Count - 1; i >= 0; i--)
        {
            await _owned[i].DisposeAsync();
        }

        _privateKey.Dispose();
    }
}
