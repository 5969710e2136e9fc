using System.Runtime.CompilerServices;
using Helia.Multiformats;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Helia.Core.Blocks;

/// <summary>
/// A local blockstore with block brokers behind it (Helia's <c>NetworkedStorage</c>, boxo's blockservice).
/// <see cref="GetAsync(Cid, BlockGetOptions, CancellationToken)"/> looks locally first, then races the brokers (each
/// returns only bytes it verified against the CID), stores the winner and announces it; puts store locally and announce.
/// </summary>
public sealed partial class NetworkedBlockstore : INetworkedBlockstore
{
    private readonly IBlockstore _local;
    private readonly IReadOnlyList<IBlockBroker> _brokers;
    private readonly NetworkedBlockstoreOptions _options;
    private readonly ILogger _logger;

    public NetworkedBlockstore(IBlockstore local, IReadOnlyList<IBlockBroker> brokers, NetworkedBlockstoreOptions? options = null, ILogger<NetworkedBlockstore>? logger = null)
        : this(local, brokers, options ?? new NetworkedBlockstoreOptions(), (ILogger?)logger ?? NullLogger<NetworkedBlockstore>.Instance)
    {
    }

    private NetworkedBlockstore(IBlockstore local, IReadOnlyList<IBlockBroker> brokers, NetworkedBlockstoreOptions options, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(local);
        ArgumentNullException.ThrowIfNull(brokers);
        _local = local;
        _brokers = brokers;
        _options = options;
        _logger = logger;
    }

    /// <summary>The store blocks are kept in.</summary>
    public IBlockstore Local => _local;

    public ValueTask<bool> HasAsync(Cid cid, CancellationToken cancellationToken = default) => _local.HasAsync(cid, cancellationToken);

    public ValueTask<ReadOnlyMemory<byte>> GetAsync(Cid cid, CancellationToken cancellationToken = default) =>
        GetAsync(cid, BlockGetOptions.Default, cancellationToken);

    public async ValueTask<ReadOnlyMemory<byte>> GetAsync(Cid cid, BlockGetOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (await _local.HasAsync(cid, cancellationToken))
        {
            try
            {
                return await _local.GetAsync(cid, cancellationToken);
            }
            catch (BlockNotFoundException)
            {
                // Deleted between the two calls: fetch it like any missing block.
            }
        }

        if (options.Offline || _options.Offline || _brokers.Count == 0)
        {
            throw new BlockNotFoundException(cid, $"Block {cid} is not in the local store{(_brokers.Count == 0 ? " and there are no block brokers" : " (offline)")}.");
        }

        options.Progress?.Report(new BlockProgress("blocks:get:providers:want", cid));
        var retrieval = new BlockRetrievalOptions { Providers = options.Providers, Progress = options.Progress };
        ReadOnlyMemory<byte> bytes = await RetrieveAsync(cid, retrieval, cancellationToken);
        // A broker's bytes are never written again (IBlockBroker.RetrieveAsync), so the store may keep them as they are.
        await _local.PutOwnedAsync(cid, bytes, cancellationToken);
        options.Progress?.Report(new BlockProgress("blocks:get:blockstore:put", cid));
        await AnnounceAsync(cid, cancellationToken);
        return bytes;
    }

    public async ValueTask PutAsync(Cid cid, ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken = default)
    {
        await _local.PutAsync(cid, bytes, cancellationToken);
        await AnnounceAsync(cid, cancellationToken);
    }

    public async ValueTask PutOwnedAsync(Cid cid, ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken = default)
    {
        await _local.PutOwnedAsync(cid, bytes, cancellationToken);
        await AnnounceAsync(cid, cancellationToken);
    }

    public ValueTask DeleteAsync(Cid cid, CancellationToken cancellationToken = default) => _local.DeleteAsync(cid, cancellationToken);

    public async IAsyncEnumerable<Cid> PutManyAsync(IAsyncEnumerable<Block> blocks, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await foreach (Cid cid in _local.PutManyAsync(blocks, cancellationToken))
        {
            await AnnounceAsync(cid, cancellationToken);
            yield return cid;
        }
    }

    public async IAsyncEnumerable<Block> GetManyAsync(IAsyncEnumerable<Cid> cids, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(cids);
        await foreach (Cid cid in cids.WithCancellation(cancellationToken))
        {
            yield return new Block(cid, await GetAsync(cid, BlockGetOptions.Default, cancellationToken));
        }
    }

    public IAsyncEnumerable<Cid> DeleteManyAsync(IAsyncEnumerable<Cid> cids, CancellationToken cancellationToken = default) =>
        _local.DeleteManyAsync(cids, cancellationToken);

    public IAsyncEnumerable<Block> GetAllAsync(CancellationToken cancellationToken = default) => _local.GetAllAsync(cancellationToken);

    public IBlockstore CreateSession(Cid root, SessionOptions? options = null)
    {
        options ??= SessionOptions.Default;
        var brokers = new List<IBlockBroker>(_brokers.Count);
        foreach (IBlockBroker broker in _brokers)
        {
            brokers.Add(broker.CreateSession(root, options) ?? broker);
        }

        return new NetworkedBlockstore(_local, brokers, _options, _logger);
    }

    private async ValueTask<ReadOnlyMemory<byte>> RetrieveAsync(Cid cid, BlockRetrievalOptions options, CancellationToken cancellationToken)
    {
        if (_brokers.Count == 1)
        {
            return await _brokers[0].RetrieveAsync(cid, options, cancellationToken);
        }

        // Race the brokers: the first verified block wins and the others are cancelled.
        using var race = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var pending = new List<Task<ReadOnlyMemory<byte>>>(_brokers.Count);
        foreach (IBlockBroker broker in _brokers)
        {
            pending.Add(broker.RetrieveAsync(cid, options, race.Token).AsTask());
        }

        var errors = new List<Exception>();
        try
        {
            while (pending.Count > 0)
            {
                Task<ReadOnlyMemory<byte>> done = await Task.WhenAny(pending);
                pending.Remove(done);
                try
                {
                    return await done;
                }
                catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
                {
                    Log.BrokerFailed(_logger, cid, ex);
                    errors.Add(ex);
                }
            }
        }
        finally
        {
            await race.CancelAsync();
            foreach (Task<ReadOnlyMemory<byte>> task in pending)
            {
                try
                {
                    await task;
                }
                catch (Exception ex) when (ex is OperationCanceledException or HeliaException)
                {
                }
            }
        }

        throw new BlockNotFoundException(cid, $"No block broker could get {cid}: {string.Join("; ", errors.Select(e => e.Message))}");
    }

    private async ValueTask AnnounceAsync(Cid cid, CancellationToken cancellationToken)
    {
        if (_options.Offline)
        {
            return;
        }

        foreach (IBlockBroker broker in _brokers)
        {
            await broker.AnnounceAsync(cid, cancellationToken);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Debug, Message = "A block broker failed to get {Cid}")]
        public static partial void BrokerFailed(ILogger logger, Cid cid, Exception exception);
    }
}
