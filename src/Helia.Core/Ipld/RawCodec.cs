using Helia.Multiformats;

namespace Helia.Core.Ipld;

/// <summary>The raw codec (0x55): a block is opaque bytes and links to nothing.</summary>
public sealed class RawCodec : IBlockCodec
{
    public static readonly RawCodec Instance = new();

    private RawCodec()
    {
    }

    public Multicodec Code => Multicodec.Raw;

    public void CollectLinks(Cid cid, ReadOnlySpan<byte> block, ICollection<Cid> links)
    {
    }
}
