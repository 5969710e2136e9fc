using System.Buffers;
using System.IO.Pipelines;
using Google.Protobuf;
using Helia.Multiformats;
using PbMessage = Helia.Bitswap.Protos.Message;

namespace Helia.Bitswap.Messages;

/// <summary>
/// The Bitswap wire format (specs: ipfs/bitswap-protocol.md): a stream of messages, each
/// | uvarint(length) | protobuf Message (length bytes, at most 4 MiB) |.
/// Reading checks the length prefix against the limit before waiting for the body, parses it in place
/// (<see cref="BitswapMessageParser"/>: each block copied once into an exact-size array) and rebuilds block CIDs from
/// their prefixes. Writing is by hand too (<see cref="BitswapMessageWriter"/>): the fields around each block are
/// written into a small buffer and large blocks go to the stream as they are.
/// </summary>
public static class BitswapMessageCodec
{
    /// <summary>The largest message any peer may send (the spec's 4 MiB).</summary>
    public const int MaxMessageSize = 4 * 1024 * 1024;

    /// <summary>The largest block every implementation must handle (the spec's 2 MiB).</summary>
    public const int MaxBlockSize = 2 * 1024 * 1024;

    /// <summary>
    /// The most blocks a message we read may carry. A peer sends blocks only for the wants it keeps for us, and boxo
    /// (defaults.MaxQueuedWantlistEntiresPerPeer) and JS Helia (DEFAULT_MAX_WANTLIST_SIZE) keep at most 1024 per peer, as
    /// we keep at most <see cref="BitswapOptions.DefaultMaxWantsPerPeer"/> open with any peer, so no real peer exceeds it.
    /// Without it, 4 MiB of one-byte blocks would be several hundred thousand copies and hashes for one message.
    /// </summary>
    public const int MaxBlocksPerMessage = 1024;

    /// <summary>
    /// Takes one complete frame off the front of <paramref name="buffer"/>. Returns false when more bytes are needed;
    /// throws <see cref="BitswapProtocolException"/> when the length prefix is malformed or over <paramref name="maxMessageSize"/>.
    /// </summary>
    public static bool TryReadFrame(ref ReadOnlySequence<byte> buffer, int maxMessageSize, out ReadOnlySequence<byte> frame)
    {
        frame = default;
        ReadOnlySequence<byte> rest = buffer;
        ulong length;
        try
        {
            if (!Varint.TryRead(ref rest, out length))
            {
                return false;
            }
        }
        catch (VarintException ex)
        {
            throw new BitswapProtocolException($"Malformed message length: {ex.Message}", ex);
        }

        if (length > (ulong)maxMessageSize)
        {
            throw new BitswapProtocolException($"A message of {length} bytes exceeds the limit of {maxMessageSize}.");
        }

        if (rest.Length < (long)length)
        {
            return false;
        }

        frame = rest.Slice(0, (long)length);
        buffer = rest.Slice(frame.End);
        return true;
    }

    /// <summary>
    /// Reads the next message from <paramref name="input"/>; null when the stream ends cleanly between messages.
    /// Throws <see cref="BitswapProtocolException"/> for a malformed, oversized or truncated message.
    /// </summary>
    public static async ValueTask<BitswapMessage?> ReadAsync(PipeReader input, int maxMessageSize, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        while (true)
        {
            ReadResult result = await input.ReadAsync(cancellationToken);
            ReadOnlySequence<byte> buffer = result.Buffer;
            bool parsed = false;
            try
            {
                if (TryReadFrame(ref buffer, maxMessageSize, out ReadOnlySequence<byte> frame))
                {
                    parsed = true;
                    return Decode(frame);
                }

                if (result.IsCompleted)
                {
                    return buffer.IsEmpty ? null : throw new BitswapProtocolException($"The stream ended inside a message ({buffer.Length} bytes buffered).");
                }

                if (result.IsCanceled)
                {
                    throw new OperationCanceledException("The read was cancelled.");
                }
            }
            finally
            {
                // After a frame, only what was consumed is examined, so a next frame already buffered is returned at once.
                input.AdvanceTo(buffer.Start, parsed ? buffer.Start : buffer.End);
            }
        }
    }

    /// <summary>
    /// Decodes one message body (without its length prefix): each block is copied once out of <paramref name="body"/>
    /// into an array of its own and hashed there (see <see cref="BitswapMessageParser"/>).
    /// </summary>
    public static BitswapMessage Decode(in ReadOnlySequence<byte> body) => BitswapMessageParser.Parse(body);

    /// <summary>
    /// The same with the protobuf-generated parser (which copies each block into a ByteString): the reference the
    /// parser is tested against, and the micro benchmark's baseline.
    /// </summary>
    internal static BitswapMessage DecodeWithProtobuf(in ReadOnlySequence<byte> body)
    {
        PbMessage pb;
        try
        {
            pb = PbMessage.Parser.ParseFrom(body);
        }
        catch (InvalidProtocolBufferException ex)
        {
            throw new BitswapProtocolException($"Malformed Bitswap message: {ex.Message}", ex);
        }

        var message = new BitswapMessage { PendingBytes = pb.PendingBytes };
        if (pb.PendingBytes < 0)
        {
            throw new BitswapProtocolException($"Negative pendingBytes {pb.PendingBytes}.");
        }

        if (pb.Wantlist is { } wantlist)
        {
            message.FullWantlist = wantlist.Full;
            foreach (PbMessage.Types.Wantlist.Types.Entry entry in wantlist.Entries)
            {
                var wantType = (WantType)entry.WantType;
                if (wantType is not (WantType.Block or WantType.Have))
                {
                    throw new BitswapProtocolException($"Unknown want type {(int)entry.WantType}.");
                }

                message.Wantlist.Add(new WantlistEntry(ReadCid(entry.Block), entry.Priority, entry.Cancel, wantType, entry.SendDontHave));
            }
        }

        foreach (ByteString data in pb.Blocks)
        {
            // Bitswap 1.0.0 blocks carry no prefix: they are CIDv0 (dag-pb, sha2-256).
            Multihash hash = Multihash.Compute(Multicodec.Sha2_256, data.Span);
            message.Blocks.Add(new BitswapBlock(Cid.CreateV0(hash), data.Memory));
        }

        foreach (PbMessage.Types.Block block in pb.Payload)
        {
            CidPrefix prefix = CidPrefix.Parse(block.Prefix.Span);
            if (prefix.TryComputeCid(block.Data.Span, out Cid cid))
            {
                message.Blocks.Add(new BitswapBlock(cid, block.Data.Memory));
            }
            else
            {
                message.UnsupportedBlocks++;
            }
        }

        foreach (PbMessage.Types.BlockPresence presence in pb.BlockPresences)
        {
            var type = (BlockPresenceType)presence.Type;
            if (type is not (BlockPresenceType.Have or BlockPresenceType.DontHave))
            {
                throw new BitswapProtocolException($"Unknown block presence type {(int)presence.Type}.");
            }

            message.BlockPresences.Add(new BlockPresence(ReadCid(presence.Cid), type));
        }

        return message;
    }

    /// <summary>
    /// Writes <paramref name="message"/> with its length prefix, in the form <paramref name="version"/> understands:
    /// before 1.2.0 want-haves become want-blocks and presences are left out; 1.0.0 sends blocks without prefixes.
    /// Throws <see cref="ArgumentException"/> when the message exceeds <see cref="MaxMessageSize"/>
    /// (split it with <see cref="BitswapMessageBuilder"/>).
    /// </summary>
    public static void Write(BitswapMessage message, BitswapProtocolVersion version, IBufferWriter<byte> writer)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(writer);
        BitswapMessageWriter.Write(message, version, writer, direct: null);
    }

    /// <summary>The encoded size of <paramref name="message"/> without its length prefix (added up, not encoded).</summary>
    public static int GetSize(BitswapMessage message, BitswapProtocolVersion version)
    {
        ArgumentNullException.ThrowIfNull(message);
        return BitswapMessageWriter.GetBodySize(message, version);
    }

    /// <summary>
    /// The message as the protobuf-generated type: the reference that <see cref="BitswapMessageWriter"/>'s bytes are
    /// tested against.
    /// </summary>
    internal static PbMessage ToProto(BitswapMessage message, BitswapProtocolVersion version)
    {
        bool supportsHave = version >= BitswapProtocolVersion.V120;
        var pb = new PbMessage();
        if (message.Wantlist.Count > 0 || message.FullWantlist)
        {
            var wantlist = new PbMessage.Types.Wantlist { Full = message.FullWantlist };
            foreach (WantlistEntry entry in message.Wantlist)
            {
                wantlist.Entries.Add(new PbMessage.Types.Wantlist.Types.Entry
                {
                    Block = ByteString.CopyFrom(entry.Cid.Bytes),
                    Priority = entry.Priority,
                    Cancel = entry.Cancel,
                    WantType = supportsHave ? (PbMessage.Types.Wantlist.Types.WantType)entry.WantType : PbMessage.Types.Wantlist.Types.WantType.Block,
                    SendDontHave = supportsHave && entry.SendDontHave,
                });
            }

            pb.Wantlist = wantlist;
        }

        foreach (BitswapBlock block in message.Blocks)
        {
            if (version == BitswapProtocolVersion.V100)
            {
                pb.Blocks.Add(UnsafeByteOperations.UnsafeWrap(block.Data));
            }
            else
            {
                pb.Payload.Add(new PbMessage.Types.Block
                {
                    Prefix = UnsafeByteOperations.UnsafeWrap(CidPrefix.FromCid(block.Cid).ToArray()),
                    Data = UnsafeByteOperations.UnsafeWrap(block.Data),
                });
            }
        }

        if (supportsHave)
        {
            foreach (BlockPresence presence in message.BlockPresences)
            {
                pb.BlockPresences.Add(new PbMessage.Types.BlockPresence
                {
                    Cid = ByteString.CopyFrom(presence.Cid.Bytes),
                    Type = (PbMessage.Types.BlockPresenceType)presence.Type,
                });
            }

            pb.PendingBytes = message.PendingBytes;
        }

        return pb;
    }

    private static Cid ReadCid(ByteString bytes)
    {
        try
        {
            return Cid.FromBytes(bytes.Span);
        }
        catch (MultiformatsException ex)
        {
            throw new BitswapProtocolException($"Malformed CID in a Bitswap message: {ex.Message}", ex);
        }
    }
}
