using Helia.Bitswap;
using Helia.Core.Blocks;
using Helia.Core.Datastore;
using Helia.Core.Ipld;
using Helia.Core.Pins;
using Helia.Core.Repo;
using Helia.Libp2p.Crypto;
using Helia.Libp2p.Host;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Helia;

/// <summary>
/// Composes a <see cref="HeliaNode"/> (the .NET counterpart of createHelia()): storage, identity, libp2p and Bitswap,
/// wired at compile time. Without <see cref="UseLibp2p"/> the node is offline.
/// </summary>
public sealed class HeliaBuilder
{
    private string? _repositoryPath;
    private Repo? _repo;
    private IBlockstore? _blockstore;
    private IDatastore? _datastore;
    private PrivateKey? _privateKey;
    private Libp2pHostOptions? _libp2pOptions;
    private BitswapOptions? _bitswapOptions;
    private bool _useBitswap;
    private ILoggerFactory _loggerFactory = NullLoggerFactory.Instance;

    /// <summary>
    /// Keeps the node in the repo folder <paramref name="path"/> (<see cref="Repo"/>: blocks in Kubo's flatfs layout,
    /// the SQLite datastore with the pins, the identity key in config), creating the repo with a new Ed25519 identity
    /// if the folder has none. The node holds the repo's lock until it is disposed.
    /// </summary>
    public HeliaBuilder UseRepository(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        _repositoryPath = path;
        _repo = null;
        return this;
    }

    /// <summary>Keeps the node in an open <paramref name="repo"/>; the builder and then the node own it (and dispose it).</summary>
    public HeliaBuilder UseRepository(Repo repo)
    {
        _repo = repo ?? throw new ArgumentNullException(nameof(repo));
        _repositoryPath = null;
        return this;
    }

    /// <summary>Keeps blocks in <paramref name="blockstore"/> (e.g. a MemoryBlockstore for an ephemeral node).</summary>
    public HeliaBuilder UseBlockstore(IBlockstore blockstore)
    {
        _blockstore = blockstore;
        return this;
    }

    /// <summary>
    /// Keeps pins and other records in <paramref name="datastore"/> (the caller keeps ownership). Without it the node
    /// uses the repository's datastore, or an in-memory one when there is no repository.
    /// </summary>
    public HeliaBuilder UseDatastore(IDatastore datastore)
    {
        _datastore = datastore ?? throw new ArgumentNullException(nameof(datastore));
        return this;
    }

    /// <summary>Uses this identity; the node takes ownership of the key.</summary>
    public HeliaBuilder UsePrivateKey(PrivateKey privateKey)
    {
        _privateKey = privateKey;
        return this;
    }

    /// <summary>Puts the node on the network with a TCP + Noise + Yamux host (and mDNS if the options enable it).</summary>
    public HeliaBuilder UseLibp2p(Libp2pHostOptions? options = null)
    {
        _libp2pOptions = options ?? new Libp2pHostOptions();
        return this;
    }

    /// <summary>Exchanges blocks with peers over Bitswap (needs <see cref="UseLibp2p"/>).</summary>
    public HeliaBuilder UseBitswap(BitswapOptions? options = null)
    {
        _useBitswap = true;
        _bitswapOptions = options;
        return this;
    }

    public HeliaBuilder UseLoggerFactory(ILoggerFactory loggerFactory)
    {
        _loggerFactory = loggerFactory;
        return this;
    }

    /// <summary>Builds and starts the node.</summary>
    public async Task<HeliaNode> BuildAsync(CancellationToken cancellationToken = default)
    {
        HeliaNode node = await BuildUnstartedAsync(cancellationToken);
        try
        {
            await node.StartAsync(cancellationToken);
            return node;
        }
        catch
        {
            await node.DisposeAsync();
            throw;
        }
    }

    /// <summary>Builds the node without starting it, so event handlers can be attached first; call <see cref="HeliaNode.StartAsync"/>.</summary>
    public async Task<HeliaNode> BuildUnstartedAsync(CancellationToken cancellationToken = default)
    {
        if (_useBitswap && _libp2pOptions is null)
        {
            throw new InvalidOperationException("Bitswap needs the network: call UseLibp2p too.");
        }

        var owned = new List<IAsyncDisposable>();
        PrivateKey? privateKey = _privateKey;
        try
        {
            Repo? repo = _repo ?? (_repositoryPath is null ? null : await OpenOrInitRepositoryAsync(_repositoryPath, cancellationToken));
            if (repo is not null)
            {
                owned.Add(repo);   // first in, last disposed: the host and Bitswap stop before the stores close
            }

            privateKey ??= repo is null ? Ed25519PrivateKey.Generate() : repo.LoadPrivateKey();
            IDatastore datastore = _datastore ?? (IDatastore?)repo?.Datastore ?? new MemoryDatastore();
            IBlockstore store = _blockstore ?? (IBlockstore?)repo?.Blocks ?? new MemoryBlockstore();

            // Everything that writes blocks (imports, Bitswap, pins fetching) goes through the GC wrapper, so a
            // collection never deletes a block put while it runs.
            var local = new GcBlockstore(store);
            Libp2pHost? host = null;
            BitswapService? bitswap = null;
            var brokers = new List<IBlockBroker>();
            if (_libp2pOptions is not null)
            {
                host = Libp2pHost.Create(_libp2pOptions, privateKey, _loggerFactory);

                // Disposed after the host (its last Identified events are still saved) and before the repo closes.
                var peers = new PeerStorePersistence(host, host.PeerStore, datastore, _loggerFactory.CreateLogger<PeerStorePersistence>());
                owned.Add(peers);
                owned.Add(host);
                await peers.LoadAsync(cancellationToken);
                peers.Start();
                if (_useBitswap)
                {
                    bitswap = new BitswapService(host, local, _bitswapOptions, router: null, _loggerFactory);
                    owned.Add(bitswap);
                    brokers.Add(new BitswapBlockBroker(bitswap));
                }
            }

            var blockstore = new NetworkedBlockstore(local, brokers, logger: _loggerFactory.CreateLogger<NetworkedBlockstore>());
            BlockCodecs codecs = BlockCodecs.CreateDefault();
            var pins = new PinManager(datastore, blockstore, codecs, _loggerFactory.CreateLogger<PinManager>());
            var gc = new GarbageCollector(local, pins, codecs, _loggerFactory.CreateLogger<GarbageCollector>());
            return new HeliaNode(privateKey, blockstore, datastore, pins, gc, host, bitswap, owned);
        }
        catch
        {
            for (int i = owned.Count - 1; i >= 0; i--)
            {
                await owned[i].DisposeAsync();
            }

            if (_privateKey is null)
            {
                privateKey?.Dispose();
            }

            throw;
        }
    }

    private async Task<Repo> OpenOrInitRepositoryAsync(string path, CancellationToken cancellationToken)
    {
        var options = new RepoOptions { LoggerFactory = _loggerFactory };
        if (Repo.Exists(path))
        {
            return await Repo.OpenAsync(path, options, cancellationToken);
        }

        using PrivateKey key = Ed25519PrivateKey.Generate();
        return await Repo.InitAsync(path, new RepoConfig { Identity = key.ToRepoIdentity() }, options, cancellationToken);
    }
}
