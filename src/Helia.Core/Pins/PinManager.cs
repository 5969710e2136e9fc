using System.Runtime.CompilerServices;
using Helia.Core.Blocks;
using Helia.Core.Datastore;
using Helia.Core.Ipld;
using Helia.Multiformats;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Helia.Core.Pins;

/// <summary>
/// Pins, kept in the datastore so they survive restarts. Pins are keyed by multihash (as Kubo's pinner does), so the
/// v0 and v1 CIDs of one block are one pin. Layout:
/// <c>/pins/&lt;KEY&gt;</c> = type byte (1 direct, 2 recursive) + the CID as pinned;
/// <c>/pinned-blocks/&lt;ROOT KEY&gt;/&lt;KEY&gt;</c> = the CID of each block a recursive pin reaches (root included).
/// The per-root index is written before the pin record and removed after it, so a crash in between leaves blocks
/// protected (never a pin whose blocks can be collected), and unpinning needs no walk and no blocks.
/// </summary>
public sealed partial class PinManager
{
    private const byte DirectTag = 1;
    private const byte RecursiveTag = 2;
    private const int BatchSize = 1024;
    private static readonly DatastoreKey s_pins = new("/pins");
    private static readonly DatastoreKey s_pinnedBlocks = new("/pinned-blocks");

    private readonly IDatastore _datastore;
    private readonly IBlockstore _blockstore;
    private readonly BlockCodecs _codecs;
    private readonly ILogger<PinManager> _logger;

    public PinManager(IDatastore datastore, IBlockstore blockstore, BlockCodecs codecs, ILogger<PinManager>? logger = null)
    {
        _datastore = datastore ?? throw new ArgumentNullException(nameof(datastore));
        _blockstore = blockstore ?? throw new ArgumentNullException(nameof(blockstore));
        _codecs = codecs ?? throw new ArgumentNullException(nameof(codecs));
        _logger = logger ?? NullLogger<PinManager>.Instance;
    }

    /// <summary>Held by every pin change and by garbage collection for its whole run, so neither sees the other half-done.</summary>
    internal SemaphoreSlim Lock { get; } = new(1, 1);

    /// <summary>
    /// Pins <paramref name="cid"/>. Recursive (the default) walks the whole DAG through the blockstore, so a networked
    /// store fetches what is missing; the pin is recorded only once every block was reached.
    /// </summary>
    public async Task AddAsync(Cid cid, bool recursive = true, CancellationToken cancellationToken = default)
    {
        await Lock.WaitAsync(cancellationToken);
        try
        {
            PinType? existing = await GetPinTypeAsync(cid.Hash, cancellationToken);
            if (existing == PinType.Recursive || (existing == PinType.Direct && !recursive))
            {
                return;
            }

            if (!recursive)
            {
                await _blockstore.GetAsync(cid, cancellationToken);      // a direct pin keeps a block we have
                await _datastore.PutAsync(PinKey(cid.Hash), Record(DirectTag, cid), cancellationToken);
                return;
            }

            DatastoreKey index = s_pinnedBlocks.Child(KeyOf(cid.Hash));
            try
            {
                await WriteIndexAsync(cid, index, cancellationToken);
            }
            catch
            {
                await DeletePrefixAsync(index, CancellationToken.None);
                throw;
            }

            await _datastore.PutAsync(PinKey(cid.Hash), Record(RecursiveTag, cid), cancellationToken);
            Log.Pinned(_logger, cid);
        }
        finally
        {
            Lock.Release();
        }
    }

    /// <summary>Removes a direct or recursive pin; throws <see cref="NotPinnedException"/> when there is none.</summary>
    public async Task RemoveAsync(Cid cid, CancellationToken cancellationToken = default)
    {
        await Lock.WaitAsync(cancellationToken);
        try
        {
            if (await GetPinTypeAsync(cid.Hash, cancellationToken) is not PinType type)
            {
                throw new NotPinnedException(cid);
            }

            await _datastore.DeleteAsync(PinKey(cid.Hash), cancellationToken);
            if (type == PinType.Recursive)
            {
                await DeletePrefixAsync(s_pinnedBlocks.Child(KeyOf(cid.Hash)), cancellationToken);
            }
        }
        finally
        {
            Lock.Release();
        }
    }

    /// <summary>True when the block is pinned directly, recursively, or reached by a recursive pin.</summary>
    public async ValueTask<bool> IsPinnedAsync(Cid cid, CancellationToken cancellationToken = default) =>
        await GetAsync(cid, cancellationToken) is not null;

    /// <summary>
    /// How <paramref name="cid"/> is pinned (matched by multihash, so its v0 and v1 CIDs answer alike), or null when it
    /// is not: its own pin record is one keyed get; only when it has none are the recursive roots' indexes asked, one
    /// keyed has per root, rather than listing every pin record.
    /// </summary>
    public async ValueTask<Pin?> GetAsync(Cid cid, CancellationToken cancellationToken = default)
    {
        if (await GetPinTypeAsync(cid.Hash, cancellationToken) is PinType type)
        {
            return new Pin(cid, type);
        }

        string key = KeyOf(cid.Hash);
        await foreach (Pin pin in LsAsync(PinType.Recursive, cancellationToken))
        {
            if (await _datastore.HasAsync(s_pinnedBlocks.Child(KeyOf(pin.Cid.Hash)).Child(key), cancellationToken))
            {
                return new Pin(cid, PinType.Indirect);
            }
        }

        return null;
    }

    /// <summary>The pins, optionally of one type. Indirect pins are listed once each, and never when also a recursive root.</summary>
    public async IAsyncEnumerable<Pin> LsAsync(PinType? type = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        HashSet<Multihash> roots = [];
        await foreach (KeyValuePair<DatastoreKey, ReadOnlyMemory<byte>> entry in _datastore.QueryAsync(s_pins, cancellationToken))
        {
            if (entry.Key == s_pins)
            {
                continue;
            }

            Pin pin = ParseRecord(entry.Key, entry.Value.Span);
            if (pin.Type == PinType.Recursive)
            {
                roots.Add(pin.Cid.Hash);
            }

            if (type is null || type == pin.Type)
            {
                yield return pin;
            }
        }

        if (type is null or PinType.Indirect)
        {
            HashSet<Multihash> seen = [];
            await foreach (Cid cid in GetIndexedBlocksAsync(cancellationToken))
            {
                if (!roots.Contains(cid.Hash) && seen.Add(cid.Hash))
                {
                    yield return new Pin(cid, PinType.Indirect);
                }
            }
        }
    }

    /// <summary>Every pinned block (direct, recursive roots and what they reach), possibly more than once: GC's mark set.</summary>
    public async IAsyncEnumerable<Cid> GetPinnedBlocksAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await foreach (KeyValuePair<DatastoreKey, ReadOnlyMemory<byte>> entry in _datastore.QueryAsync(s_pins, cancellationToken))
        {
            if (entry.Key != s_pins)
            {
                yield return ParseRecord(entry.Key, entry.Value.Span).Cid;
            }
        }

        await foreach (Cid cid in GetIndexedBlocksAsync(cancellationToken))
        {
            yield return cid;
        }
    }

    private async IAsyncEnumerable<Cid> GetIndexedBlocksAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (KeyValuePair<DatastoreKey, ReadOnlyMemory<byte>> entry in _datastore.QueryAsync(s_pinnedBlocks, cancellationToken))
        {
            if (entry.Key.Segments.Length == 3)
            {
                yield return ParseCid(entry.Key, entry.Value.Span);
            }
        }
    }

    private async Task WriteIndexAsync(Cid root, DatastoreKey index, CancellationToken cancellationToken)
    {
        var batch = new List<KeyValuePair<DatastoreKey, ReadOnlyMemory<byte>>>(BatchSize);
        await foreach (Cid cid in DagWalker.WalkAsync(root, _blockstore, _codecs, new HashSet<Multihash>(), cancellationToken))
        {
            batch.Add(new(index.Child(KeyOf(cid.Hash)), cid.ToArray()));
            if (batch.Count == BatchSize)
            {
                await _datastore.BatchAsync(batch, [], cancellationToken);
                batch.Clear();
            }
        }

        await _datastore.BatchAsync(batch, [], cancellationToken);
    }

    private async Task DeletePrefixAsync(DatastoreKey prefix, CancellationToken cancellationToken)
    {
        var keys = new List<DatastoreKey>(BatchSize);
        await foreach (KeyValuePair<DatastoreKey, ReadOnlyMemory<byte>> entry in _datastore.QueryAsync(prefix, cancellationToken))
        {
            keys.Add(entry.Key);
            if (keys.Count == BatchSize)
            {
                await _datastore.BatchAsync([], keys, cancellationToken);
                keys.Clear();
            }
        }

        await _datastore.BatchAsync([], keys, cancellationToken);
    }

    private async ValueTask<PinType?> GetPinTypeAsync(Multihash hash, CancellationToken cancellationToken)
    {
        DatastoreKey key = PinKey(hash);
        return await _datastore.GetAsync(key, cancellationToken) is ReadOnlyMemory<byte> value
            ? ParseRecord(key, value.Span).Type
            : null;
    }

    private static DatastoreKey PinKey(Multihash hash) => s_pins.Child(KeyOf(hash));

    private static string KeyOf(Multihash hash) => Multibase.EncodeWithoutPrefix(MultibaseEncoding.Base32Upper, hash.Bytes);

    private static byte[] Record(byte tag, Cid cid)
    {
        byte[] record = new byte[1 + cid.Bytes.Length];
        record[0] = tag;
        cid.Bytes.CopyTo(record.AsSpan(1));
        return record;
    }

    private static Pin ParseRecord(DatastoreKey key, ReadOnlySpan<byte> record)
    {
        if (record.IsEmpty || record[0] is not (DirectTag or RecursiveTag))
        {
            throw new HeliaException($"The pin record {key} in the datastore is corrupt (unknown type).");
        }

        return new Pin(ParseCid(key, record[1..]), record[0] == DirectTag ? PinType.Direct : PinType.Recursive);
    }

    private static Cid ParseCid(DatastoreKey key, ReadOnlySpan<byte> bytes)
    {
        try
        {
            return Cid.FromBytes(bytes);
        }
        catch (MultiformatsException ex)
        {
            throw new HeliaException($"The pin entry {key} in the datastore is corrupt: {ex.Message}", ex);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Debug, Message = "Pinned {Cid} recursively")]
        public static partial void Pinned(ILogger logger, Cid cid);
    }
}
