using System.Runtime.CompilerServices;
using Helia.Core.Ipld;
using Helia.Multiformats;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Helia.Core.Pins;

/// <summary>
/// Mark and sweep: marks every pinned block (from the pin index) and every block reachable from the registered root
/// providers, then deletes every other block in the store. Holds the pin lock for the whole run (pins wait), and
/// relies on <see cref="GcBlockstore"/> so that blocks put meanwhile are never deleted.
/// </summary>
public sealed partial class GarbageCollector
{
    private readonly GcBlockstore _blockstore;
    private readonly PinManager _pins;
    private readonly BlockCodecs _codecs;
    private readonly ILogger<GarbageCollector> _logger;
    private readonly List<IGcRootProvider> _rootProviders = [];
    private readonly Lock _providersLock = new();

    public GarbageCollector(GcBlockstore blockstore, PinManager pins, BlockCodecs codecs, ILogger<GarbageCollector>? logger = null)
    {
        _blockstore = blockstore ?? throw new ArgumentNullException(nameof(blockstore));
        _pins = pins ?? throw new ArgumentNullException(nameof(pins));
        _codecs = codecs ?? throw new ArgumentNullException(nameof(codecs));
        _logger = logger ?? NullLogger<GarbageCollector>.Instance;
    }

    /// <summary>Adds a source of roots to keep; dispose the result to remove it.</summary>
    public IDisposable AddRootProvider(IGcRootProvider provider)
    {
        ArgumentNullException.ThrowIfNull(provider);
        lock (_providersLock)
        {
            _rootProviders.Add(provider);
        }

        return new Registration(this, provider);
    }

    /// <summary>Runs one collection and yields each CID it removed (as the store lists it: flatfs lists raw CIDv1).</summary>
    public async IAsyncEnumerable<Cid> CollectAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await _pins.Lock.WaitAsync(cancellationToken);
        _blockstore.BeginCollection();
        try
        {
            HashSet<Multihash> marked = await MarkAsync(cancellationToken);
            Log.Marked(_logger, marked.Count);
            int removed = 0;
            await foreach (Cid cid in _blockstore.Inner.GetAllCidsAsync(cancellationToken))
            {
                if (marked.Contains(cid.Hash) || !_blockstore.TryBeginDelete(cid.Hash))
                {
                    continue;
                }

                try
                {
                    await _blockstore.Inner.DeleteAsync(cid, cancellationToken);
                }
                finally
                {
                    _blockstore.EndDelete();
                }

                removed++;
                yield return cid;
            }

            Log.Swept(_logger, removed);
        }
        finally
        {
            _blockstore.EndCollection();
            _pins.Lock.Release();
        }
    }

    private async Task<HashSet<Multihash>> MarkAsync(CancellationToken cancellationToken)
    {
        HashSet<Multihash> marked = [];
        await foreach (Cid cid in _pins.GetPinnedBlocksAsync(cancellationToken))
        {
            marked.Add(cid.Hash);
        }

        IGcRootProvider[] providers;
        lock (_providersLock)
        {
            providers = [.. _rootProviders];
        }

        // A root's DAG must be whole locally: a missing block would leave its children unmarked, so it aborts the run.
        HashSet<Multihash> walked = [];
        foreach (IGcRootProvider provider in providers)
        {
            await foreach (Cid root in provider.GetRootsAsync(cancellationToken))
            {
                await foreach (Cid cid in DagWalker.WalkAsync(root, _blockstore.Inner, _codecs, walked, cancellationToken))
                {
                    marked.Add(cid.Hash);
                }
            }
        }

        return marked;
    }

    private sealed class Registration(GarbageCollector owner, IGcRootProvider provider) : IDisposable
    {
        public void Dispose()
        {
            lock (owner._providersLock)
            {
                owner._rootProviders.Remove(provider);
            }
        }
    }

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Information, Message = "Garbage collection marked {Count} blocks")]
        public static partial void Marked(ILogger logger, int count);

        [LoggerMessage(Level = LogLevel.Information, Message = "Garbage collection removed {Count} blocks")]
        public static partial void Swept(ILogger logger, int count);
    }
}
