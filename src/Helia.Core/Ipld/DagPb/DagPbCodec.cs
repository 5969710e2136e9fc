using System.Text;
using Helia.Multiformats;

namespace Helia.Core.Ipld.DagPb;

/// <summary>
/// The dag-pb codec (0x70; specs: ipld/dag-pb.md), strict both ways.
/// <code>
/// PBNode: (0x12 len PBLink)* (0x0a len Data)?      Links (field 2) first, then Data (field 1): the canonical order
/// PBLink: 0x0a len Hash (0x12 len Name)? (0x18 varint Tsize)?
/// </code>
/// Decoding rejects what the canonical form forbids: fields out of order, duplicates, unknown fields or wire types,
/// Data before Links, non-minimal or truncated varints, lengths past the input, a missing or malformed Hash, a
/// non-UTF-8 Name. Encoding requires links sorted by name bytes, as the spec does.
/// </summary>
public sealed class DagPbCodec : IBlockCodec
{
    public static readonly DagPbCodec Instance = new();

    private const byte LinkHashKey = (1 << 3) | ProtoWire.WireTypeLengthDelimited;   // 0x0a
    private const byte LinkNameKey = (2 << 3) | ProtoWire.WireTypeLengthDelimited;   // 0x12
    private const byte LinkTsizeKey = (3 << 3) | ProtoWire.WireTypeVarint;           // 0x18
    private const byte NodeDataKey = (1 << 3) | ProtoWire.WireTypeLengthDelimited;   // 0x0a
    private const byte NodeLinksKey = (2 << 3) | ProtoWire.WireTypeLengthDelimited;  // 0x12

    private static readonly Func<string, Exception> s_error = message => new DagPbException(message);
    private static readonly UTF8Encoding s_strictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private DagPbCodec()
    {
    }

    public Multicodec Code => Multicodec.DagPb;

    /// <summary>Decodes a block. <see cref="PBNode.Data"/> is a slice of <paramref name="block"/>, not a copy.</summary>
    public static PBNode Decode(ReadOnlyMemory<byte> block)
    {
        ReadOnlySpan<byte> span = block.Span;
        List<PBLink> links = [];
        var reader = new Reader(span);
        while (reader.MoveNextLink(out Range hash, out Range? name, out ulong? tsize))
        {
            string? text = null;
            if (name is Range nameRange)
            {
                try
                {
                    text = s_strictUtf8.GetString(span[nameRange]);
                }
                catch (DecoderFallbackException e)
                {
                    throw new DagPbException($"The name of link {links.Count} is not valid UTF-8.", e);
                }
            }

            links.Add(new PBLink(ReadHash(span[hash], links.Count), text, tsize));
        }

        ReadOnlyMemory<byte>? data = reader.Data is Range range ? (ReadOnlyMemory<byte>?)block[range] : null;
        return new PBNode(links, data);
    }

    /// <summary>Checks <paramref name="block"/> is canonical dag-pb and appends the CIDs its links point to.</summary>
    public void CollectLinks(Cid cid, ReadOnlySpan<byte> block, ICollection<Cid> links)
    {
        ArgumentNullException.ThrowIfNull(links);
        var reader = new Reader(block);
        int index = 0;
        while (reader.MoveNextLink(out Range hash, out _, out _))
        {
            links.Add(ReadHash(block[hash], index++));
        }
    }

    /// <summary>The size of <paramref name="node"/>'s encoding.</summary>
    public static int GetEncodedLength(PBNode node)
    {
        ArgumentNullException.ThrowIfNull(node);
        long length = 0;
        foreach (PBLink link in node.Links)
        {
            length += ProtoWire.BytesFieldLength(GetLinkLength(link));
        }

        if (node.Data is ReadOnlyMemory<byte> data)
        {
            length += ProtoWire.BytesFieldLength(data.Length);
        }

        return length <= Array.MaxLength
            ? (int)length
            : throw new ArgumentException("The dag-pb node is too large to encode.", nameof(node));
    }

    /// <summary>Encodes <paramref name="node"/> into an exact-size array.</summary>
    public static byte[] Encode(PBNode node)
    {
        byte[] bytes = new byte[GetEncodedLength(node)];
        Encode(node, bytes);
        return bytes;
    }

    /// <summary>Encodes <paramref name="node"/> and returns the bytes written.</summary>
    public static int Encode(PBNode node, Span<byte> destination)
    {
        int length = GetEncodedLength(node);
        if (destination.Length < length)
        {
            throw new ArgumentException($"The node needs {length} bytes, the destination has {destination.Length}.", nameof(destination));
        }

        int position = 0;
        PBLink? previous = null;
        foreach (PBLink link in node.Links)
        {
            if (previous is not null && PBLink.CompareByName(previous, link) > 0)
            {
                throw new ArgumentException($"dag-pb links must be sorted by name bytes: '{previous.Name}' comes before '{link.Name}'.", nameof(node));
            }

            previous = link;
            ProtoWire.WriteVarint(destination, ref position, NodeLinksKey);
            ProtoWire.WriteVarint(destination, ref position, (ulong)GetLinkLength(link));
            ProtoWire.WriteBytesField(destination, ref position, 1, link.Hash.Bytes);
            if (link.HasName)
            {
                ProtoWire.WriteBytesField(destination, ref position, 2, link.NameUtf8);
            }

            if (link.Tsize is ulong tsize)
            {
                ProtoWire.WriteVarintField(destination, ref position, 3, tsize);
            }
        }

        if (node.Data is ReadOnlyMemory<byte> data)
        {
            ProtoWire.WriteBytesField(destination, ref position, 1, data.Span);
        }

        return position;
    }

    private static int GetLinkLength(PBLink link)
    {
        int length = ProtoWire.BytesFieldLength(link.Hash.Bytes.Length);
        if (link.HasName)
        {
            length += ProtoWire.BytesFieldLength(link.NameUtf8.Length);
        }

        if (link.Tsize is ulong tsize)
        {
            length += ProtoWire.VarintFieldLength(tsize);
        }

        return length;
    }

    private static Cid ReadHash(ReadOnlySpan<byte> bytes, int index)
    {
        try
        {
            return Cid.FromBytes(bytes);
        }
        catch (MultiformatsException e)
        {
            throw new DagPbException($"The Hash of link {index} is not a valid CID: {e.Message}", e);
        }
    }

    private static string DescribeKey(ulong key, string message) =>
        $"{message}: field {key >> 3} with wire type {key & 7}.";

    /// <summary>Walks a block's links without allocating; <see cref="Data"/> is known once the links are exhausted.</summary>
    private ref struct Reader(ReadOnlySpan<byte> block)
    {
        private readonly ReadOnlySpan<byte> _block = block;
        private int _position;
        private int _linkIndex;

        public Range? Data { get; private set; }

        public bool MoveNextLink(out Range hash, out Range? name, out ulong? tsize)
        {
            hash = default;
            name = null;
            tsize = null;
            if (_position >= _block.Length || Data is not null)
            {
                return false;
            }

            ulong key = ProtoWire.ReadVarint(_block, ref _position, s_error, "a PBNode field key");
            if (key == NodeLinksKey)
            {
                Range link = ProtoWire.ReadLengthDelimited(_block, ref _position, s_error, $"link {_linkIndex}");
                ReadLink(_block[link], _linkIndex++, out hash, out name, out tsize);
                hash = new Range(hash.Start.Value + link.Start.Value, hash.End.Value + link.Start.Value);
                if (name is Range n)
                {
                    name = new Range(n.Start.Value + link.Start.Value, n.End.Value + link.Start.Value);
                }

                return true;
            }

            if (key != NodeDataKey)
            {
                throw new DagPbException(DescribeKey(key, (key >> 3) is 1 or 2
                    ? "A PBNode field has the wrong wire type"
                    : "A PBNode has an unknown field"));
            }

            Data = ProtoWire.ReadLengthDelimited(_block, ref _position, s_error, "Data");
            if (_position < _block.Length)
            {
                ulong next = ProtoWire.ReadVarint(_block, ref _position, s_error, "a PBNode field key");
                throw new DagPbException(next switch
                {
                    NodeDataKey => "A PBNode has a duplicate Data field.",
                    NodeLinksKey => "A PBNode has Links after Data (the canonical order is Links, then Data).",
                    _ => DescribeKey(next, "A PBNode has an unknown field after Data"),
                });
            }

            return false;
        }

        private static void ReadLink(ReadOnlySpan<byte> link, int index, out Range hash, out Range? name, out ulong? tsize)
        {
            name = null;
            tsize = null;
            int position = 0;
            int lastField = 0;
            bool hasHash = false;
            hash = default;
            while (position < link.Length)
            {
                ulong key = ProtoWire.ReadVarint(link, ref position, s_error, $"a field key of link {index}");
                int field = (key >> 3) is >= 1 and <= 3 ? (int)(key >> 3) : 0;
                if (key is not (LinkHashKey or LinkNameKey or LinkTsizeKey))
                {
                    throw new DagPbException(DescribeKey(key, field != 0
                        ? $"Link {index} has a field with the wrong wire type"
                        : $"Link {index} has an unknown field"));
                }

                if (field <= lastField)
                {
                    throw new DagPbException(field == lastField
                        ? $"Link {index} repeats field {field}."
                        : $"Link {index} has field {field} after field {lastField} (fields must be in order Hash, Name, Tsize).");
                }

                if (field != 1 && !hasHash)
                {
                    throw new DagPbException($"Link {index} has no Hash before field {field}.");
                }

                lastField = field;
                switch (field)
                {
                    case 1:
                        hash = ProtoWire.ReadLengthDelimited(link, ref position, s_error, $"the Hash of link {index}");
                        hasHash = true;
                        break;
                    case 2:
                        name = ProtoWire.ReadLengthDelimited(link, ref position, s_error, $"the Name of link {index}");
                        break;
                    default:
                        tsize = ProtoWire.ReadVarint(link, ref position, s_error, $"the Tsize of link {index}");
                        break;
                }
            }

            if (!hasHash)
            {
                throw new DagPbException($"Link {index} has no Hash.");
            }
        }
    }
}
