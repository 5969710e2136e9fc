using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using Helia.Core.Ipld.DagPb;
using Helia.Multiformats;

namespace Helia.Core.Ipld;

/// <summary>
/// The codecs a node knows, by multicodec code: what pins, garbage collection and CAR export use to find a block's
/// links. One instance per node (not a static), so tests and nodes can register their own codecs;
/// <see cref="CreateDefault"/> gives one holding the codecs this library implements (raw and dag-pb).
/// </summary>
public sealed class BlockCodecs
{
    private readonly ConcurrentDictionary<ulong, IBlockCodec> _codecs = new();

    public BlockCodecs(params IEnumerable<IBlockCodec> codecs)
    {
        ArgumentNullException.ThrowIfNull(codecs);
        foreach (IBlockCodec codec in codecs)
        {
            Register(codec);
        }
    }

    /// <summary>A new registry holding raw and dag-pb.</summary>
    public static BlockCodecs CreateDefault() => new(RawCodec.Instance, DagPbCodec.Instance);

    /// <summary>Adds or replaces the codec for <see cref="IBlockCodec.Code"/>.</summary>
    public void Register(IBlockCodec codec)
    {
        ArgumentNullException.ThrowIfNull(codec);
        _codecs[(ulong)codec.Code] = codec;
    }

    public bool TryGet(ulong code, [NotNullWhen(true)] out IBlockCodec? codec) => _codecs.TryGetValue(code, out codec);

    /// <summary>The codec for <paramref name="code"/>; throws <see cref="UnsupportedCodecException"/> when none is registered.</summary>
    public IBlockCodec Get(ulong code) =>
        _codecs.TryGetValue(code, out IBlockCodec? codec) ? codec : throw new UnsupportedCodecException(code);

    /// <inheritdoc cref="Get(ulong)"/>
    public IBlockCodec Get(Multicodec code) => Get((ulong)code);

    /// <summary>Appends the CIDs <paramref name="block"/> links to, using the codec its CID names.</summary>
    public void CollectLinks(Cid cid, ReadOnlySpan<byte> block, ICollection<Cid> links) =>
        Get(cid.CodecCode).CollectLinks(cid, block, links);
}
