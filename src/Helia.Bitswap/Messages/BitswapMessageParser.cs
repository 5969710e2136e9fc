using System.Buffers;
using Helia.Multiformats;

namespace Helia.Bitswap.Messages;

/// <summary>
/// Reads the protobuf Bitswap message (Protos/bitswap.proto) straight off the received frame, with the rules of the
/// protobuf wire format as Google.Protobuf applies them (unknown fields and fields of an unexpected wire type are
/// skipped, the last value of a repeated scalar wins, a message field seen twice is merged), so it accepts and rejects
/// what the generated parser does. Block bytes are not copied while parsing: the structure is checked first, then each
/// block is copied once from the frame into an exact-size array (not zeroed first) and hashed there to rebuild its CID.
/// Every length is checked against the bytes left in its enclosing message before anything is read or allocated, and
/// every failure is a <see cref="BitswapProtocolException"/>. A message may carry at most
/// <see cref="BitswapMessageCodec.MaxBlocksPerMessage"/> blocks; one with more is refused before any block is hashed,
/// so thousands of tiny blocks in one frame cost a scan of the frame, not thousands of copies and hashes.
/// </summary>
internal static class BitswapMessageParser
{
    // Google.Protobuf's default recursion limit, which also bounds the groups it skips.
    private const int MaxDepth = 100;

    private const int WireVarint = 0;
    private const int WireFixed64 = 1;
    private const int WireLengthDelimited = 2;
    private const int WireStartGroup = 3;
    private const int WireEndGroup = 4;
    private const int WireFixed32 = 5;

    public static BitswapMessage Parse(in ReadOnlySequence<byte> body)
    {
        var message = new BitswapMessage();
        List<ReadOnlySequence<byte>>? v0Blocks = null;
        List<(ReadOnlySequence<byte> Prefix, ReadOnlySequence<byte> Data)>? payload = null;
        int blocks = 0;
        var reader = new SequenceReader<byte>(body);
        while (TryReadTag(ref reader, out uint tag))
        {
            switch (tag)
            {
                case (1 << 3) | WireLengthDelimited:
                    ReadWantlist(ReadLengthDelimited(ref reader), message);
                    break;
                case (2 << 3) | WireLengthDelimited:
                    CountBlock(ref blocks);
                    (v0Blocks ??= []).Add(ReadLengthDelimited(ref reader));
                    break;
                case (3 << 3) | WireLengthDelimited:
                    CountBlock(ref blocks);
                    (payload ??= []).Add(ReadPayloadBlock(ReadLengthDelimited(ref reader)));
                    break;
                case (4 << 3) | WireLengthDelimited:
                    message.BlockPresences.Add(ReadPresence(ReadLengthDelimited(ref reader)));
                    break;
                case (5 << 3) | WireVarint:
                    message.PendingBytes = (int)ReadVarint(ref reader);
                    break;
                default:
                    SkipField(ref reader, tag, 0);
                    break;
            }
        }

        if (message.PendingBytes < 0)
        {
            throw new BitswapProtocolException($"Negative pendingBytes {message.PendingBytes}.");
        }

        // The structure is sound: only now copy and hash the blocks, 1.0.0 blocks first as the generated parser's
        // separate lists had them.
        if (v0Blocks is not null)
        {
            foreach (ReadOnlySequence<byte> bytes in v0Blocks)
            {
                // Bitswap 1.0.0 blocks carry no prefix: they are CIDv0 (dag-pb, sha2-256).
                byte[] data = CopyOut(bytes);
                message.Blocks.Add(new BitswapBlock(Cid.CreateV0(Multihash.Compute(Multicodec.Sha2_256, data)), data));
            }
        }

        if (payload is not null)
        {
            Span<byte> scratch = stackalloc byte[CidPrefix.MaxLength];
            foreach ((ReadOnlySequence<byte> prefixBytes, ReadOnlySequence<byte> bytes) in payload)
            {
                CidPrefix prefix = CidPrefix.Parse(Contiguous(prefixBytes, scratch));
                if (!MultihashHashers.TryGet(prefix.HashCode, out _))
                {
                    message.UnsupportedBlocks++;   // counted without copying a block nobody can verify
                    continue;
                }

                byte[] data = CopyOut(bytes);
                if (prefix.TryComputeCid(data, out Cid cid))
                {
                    message.Blocks.Add(new BitswapBlock(cid, data));
                }
                else
                {
                    message.UnsupportedBlocks++;
                }
            }
        }

        return message;
    }

    /// <summary>
    /// Counts one more block, refusing the message past <see cref="BitswapMessageCodec.MaxBlocksPerMessage"/> while only its
    /// structure has been read: no block of it has been copied or hashed yet.
    /// </summary>
    private static void CountBlock(ref int blocks)
    {
        if (++blocks > BitswapMessageCodec.MaxBlocksPerMessage)
        {
            throw new BitswapProtocolException(
                $"A message with more than {BitswapMessageCodec.MaxBlocksPerMessage} blocks: no peer has that many of our wants to answer at once.");
        }
    }

    private static void ReadWantlist(ReadOnlySequence<byte> body, BitswapMessage message)
    {
        var reader = new SequenceReader<byte>(body);
        while (TryReadTag(ref reader, out uint tag))
        {
            switch (tag)
            {
                case (1 << 3) | WireLengthDelimited:
                    message.Wantlist.Add(ReadEntry(ReadLengthDelimited(ref reader)));
                    break;
                case (2 << 3) | WireVarint:
                    message.FullWantlist = ReadVarint(ref reader) != 0;
                    break;
                default:
                    SkipField(ref reader, tag, 1);
                    break;
            }
        }
    }

    private static WantlistEntry ReadEntry(ReadOnlySequence<byte> body)
    {
        var reader = new SequenceReader<byte>(body);
        ReadOnlySequence<byte> cid = default;
        int priority = 0;
        bool cancel = false;
        int wantType = 0;
        bool sendDontHave = false;
        while (TryReadTag(ref reader, out uint tag))
        {
            switch (tag)
            {
                case (1 << 3) | WireLengthDelimited:
                    cid = ReadLengthDelimited(ref reader);
                    break;
                case (2 << 3) | WireVarint:
                    priority = (int)ReadVarint(ref reader);
                    break;
                case (3 << 3) | WireVarint:
                    cancel = ReadVarint(ref reader) != 0;
                    break;
                case (4 << 3) | WireVarint:
                    wantType = (int)ReadVarint(ref reader);
                    break;
                case (5 << 3) | WireVarint:
                    sendDontHave = ReadVarint(ref reader) != 0;
                    break;
                default:
                    SkipField(ref reader, tag, 2);
                    break;
            }
        }

        if ((WantType)wantType is not (WantType.Block or WantType.Have))
        {
            throw new BitswapProtocolException($"Unknown want type {wantType}.");
        }

        return new WantlistEntry(ReadCid(cid), priority, cancel, (WantType)wantType, sendDontHave);
    }

    private static (ReadOnlySequence<byte> Prefix, ReadOnlySequence<byte> Data) ReadPayloadBlock(ReadOnlySequence<byte> body)
    {
        var reader = new SequenceReader<byte>(body);
        ReadOnlySequence<byte> prefix = default;
        ReadOnlySequence<byte> data = default;
        while (TryReadTag(ref reader, out uint tag))
        {
            switch (tag)
            {
                case (1 << 3) | WireLengthDelimited:
                    prefix = ReadLengthDelimited(ref reader);
                    break;
                case (2 << 3) | WireLengthDelimited:
                    data = ReadLengthDelimited(ref reader);
                    break;
                default:
                    SkipField(ref reader, tag, 1);
                    break;
            }
        }

        return (prefix, data);
    }

    private static BlockPresence ReadPresence(ReadOnlySequence<byte> body)
    {
        var reader = new SequenceReader<byte>(body);
        ReadOnlySequence<byte> cid = default;
        int type = 0;
        while (TryReadTag(ref reader, out uint tag))
        {
            switch (tag)
            {
                case (1 << 3) | WireLengthDelimited:
                    cid = ReadLengthDelimited(ref reader);
                    break;
                case (2 << 3) | WireVarint:
                    type = (int)ReadVarint(ref reader);
                    break;
                default:
                    SkipField(ref reader, tag, 1);
                    break;
            }
        }

        if ((BlockPresenceType)type is not (BlockPresenceType.Have or BlockPresenceType.DontHave))
        {
            throw new BitswapProtocolException($"Unknown block presence type {type}.");
        }

        return new BlockPresence(ReadCid(cid), (BlockPresenceType)type);
    }

    /// <summary>False at the end of the message; a tag naming field 0 is malformed.</summary>
    private static bool TryReadTag(ref SequenceReader<byte> reader, out uint tag)
    {
        if (reader.End)
        {
            tag = 0;
            return false;
        }

        tag = (uint)ReadVarint(ref reader);
        return (tag >> 3) != 0 ? true : throw Malformed("a field number of 0");
    }

    /// <summary>
    /// A protobuf varint: at most 10 bytes, bits beyond 64 dropped (callers of 32-bit fields keep the low 32 bits,
    /// as protobuf does).
    /// </summary>
    private static ulong ReadVarint(ref SequenceReader<byte> reader)
    {
        ulong result = 0;
        for (int shift = 0; shift < 70; shift += 7)
        {
            if (!reader.TryRead(out byte b))
            {
                throw Malformed("a truncated varint");
            }

            result |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80)
            {
                return result;
            }
        }

        throw Malformed("a varint longer than 10 bytes");
    }

    /// <summary>A length-delimited field's bytes, a slice of the frame, after checking the length against what is left.</summary>
    private static ReadOnlySequence<byte> ReadLengthDelimited(ref SequenceReader<byte> reader)
    {
        int length = (int)(uint)ReadVarint(ref reader);
        if (length < 0)
        {
            throw Malformed($"a negative length {length}");
        }

        if (length > reader.Remaining)
        {
            throw Malformed($"a field of {length} bytes with {reader.Remaining} left");
        }

        ReadOnlySequence<byte> slice = reader.UnreadSequence.Slice(0, length);
        reader.Advance(length);
        return slice;
    }

    private static void SkipField(ref SequenceReader<byte> reader, uint tag, int depth)
    {
        switch ((int)(tag & 7))
        {
            case WireVarint:
                ReadVarint(ref reader);
                break;
            case WireFixed64:
                Skip(ref reader, 8);
                break;
            case WireLengthDelimited:
                ReadLengthDelimited(ref reader);
                break;
            case WireFixed32:
                Skip(ref reader, 4);
                break;
            case WireStartGroup:
                if (depth >= MaxDepth)
                {
                    throw Malformed($"groups nested more than {MaxDepth} deep");
                }

                while (true)
                {
                    if (!TryReadTag(ref reader, out uint inner))
                    {
                        throw Malformed("a group without its end");
                    }

                    if ((inner & 7) == WireEndGroup)
                    {
                        if (inner >> 3 != tag >> 3)
                        {
                            throw Malformed($"a group of field {tag >> 3} ended as field {inner >> 3}");
                        }

                        break;
                    }

                    SkipField(ref reader, inner, depth + 1);
                }

                break;
            case WireEndGroup:
                throw Malformed($"the end of a group (field {tag >> 3}) that never started");
            default:
                throw Malformed($"wire type {tag & 7}");
        }
    }

    private static void Skip(ref SequenceReader<byte> reader, int count)
    {
        if (reader.Remaining < count)
        {
            throw Malformed($"a fixed-size field of {count} bytes with {reader.Remaining} left");
        }

        reader.Advance(count);
    }

    /// <summary>The block's one copy: exact size, not zeroed first since every byte is written.</summary>
    private static byte[] CopyOut(in ReadOnlySequence<byte> bytes)
    {
        byte[] data = GC.AllocateUninitializedArray<byte>((int)bytes.Length);
        bytes.CopyTo(data);
        return data;
    }

    /// <summary>The bytes as one span: the frame's own when they lie in one segment, else copied into <paramref name="scratch"/> or, when longer, a new array.</summary>
    private static ReadOnlySpan<byte> Contiguous(in ReadOnlySequence<byte> bytes, Span<byte> scratch)
    {
        if (bytes.IsSingleSegment)
        {
            return bytes.FirstSpan;
        }

        if (bytes.Length > scratch.Length)
        {
            return bytes.ToArray();
        }

        Span<byte> copy = scratch[..(int)bytes.Length];
        bytes.CopyTo(copy);
        return copy;
    }

    private static Cid ReadCid(in ReadOnlySequence<byte> bytes)
    {
        try
        {
            return Cid.FromBytes(Contiguous(bytes, stackalloc byte[128]));
        }
        catch (MultiformatsException ex)
        {
            throw new BitswapProtocolException($"Malformed CID in a Bitswap message: {ex.Message}", ex);
        }
    }

    private static BitswapProtocolException Malformed(string what) => new($"Malformed Bitswap message: {what}.");
}
