using Helia.Multiformats;

namespace Helia.Core.Ipld;

/// <summary>
/// An IPLD codec as the storage layer needs it: it knows which blocks a block links to, so pins, garbage collection
/// and CAR export can walk any DAG. Decoding to a data model is the codec's own public API.
/// </summary>
public interface IBlockCodec
{
    /// <summary>The multicodec this codec decodes (raw, dag-pb, dag-cbor, …).</summary>
    Multicodec Code { get; }

    /// <summary>
    /// Appends the CIDs <paramref name="block"/> links to, in the order they appear. Throws
    /// <see cref="Blocks.InvalidBlockException"/> (or the codec's own <see cref="HeliaException"/>) when the bytes do not decode.
    /// </summary>
    void CollectLinks(Cid cid, ReadOnlySpan<byte> block, ICollection<Cid> links);
}
