using Google.Protobuf;

namespace Helia.Bitswap.Messages;

/// <summary>
/// Fills messages up to a size limit, counting the exact protobuf size of every item as it is added, so a large
/// response goes out as several messages each under the limit. Every field number is below 16, so each tag is one byte.
/// </summary>
public sealed class BitswapMessageBuilder
{
    private readonly BitswapProtocolVersion _version;
    private readonly int _maxMessageSize;
    private BitswapMessage _message = new();
    private int _wantlistSize;
    private int _otherSize;

    public BitswapMessageBuilder(BitswapProtocolVersion version, int maxMessageSize = BitswapMessageCodec.MaxMessageSize)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxMessageSize, 64);
        _version = version;
        _maxMessageSize = maxMessageSize;
    }

    /// <summary>The encoded size of the message built so far (without its length prefix).</summary>
    public int Size => _otherSize + WantlistFieldSize(_wantlistSize, _message.Wantlist.Count > 0 || _message.FullWantlist);

    public bool IsEmpty => _message.IsEmpty;

    /// <summary>Marks the message as carrying the full wantlist; false when the flag does not fit.</summary>
    public bool TrySetFullWantlist()
    {
        if (_message.FullWantlist)
        {
            return true;
        }

        int wantlistSize = _wantlistSize + 2;
        if (_otherSize + WantlistFieldSize(wantlistSize, present: true) > _maxMessageSize)
        {
            return false;
        }

        _message.FullWantlist = true;
        _wantlistSize = wantlistSize;
        return true;
    }

    public bool TryAdd(WantlistEntry entry)
    {
        bool supportsHave = _version >= BitswapProtocolVersion.V120;
        int inner = BytesFieldSize(entry.Cid.Bytes.Length)
            + (entry.Priority != 0 ? 1 + CodedOutputStream.ComputeInt32Size(entry.Priority) : 0)
            + (entry.Cancel ? 2 : 0)
            + (supportsHave && entry.WantType != WantType.Block ? 1 + CodedOutputStream.ComputeEnumSize((int)entry.WantType) : 0)
            + (supportsHave && entry.SendDontHave ? 2 : 0);
        int wantlistSize = _wantlistSize + EmbeddedFieldSize(inner);
        if (_otherSize + WantlistFieldSize(wantlistSize, present: true) > _maxMessageSize)
        {
            return false;
        }

        _message.Wantlist.Add(entry);
        _wantlistSize = wantlistSize;
        return true;
    }

    /// <summary>Adds a block; false when it does not fit (when <see cref="IsEmpty"/>, it never will).</summary>
    public bool TryAdd(BitswapBlock block)
    {
        int size;
        if (_version == BitswapProtocolVersion.V100)
        {
            size = BytesFieldSize(block.Data.Length);
        }
        else
        {
            int inner = BytesFieldSize(CidPrefix.FromCid(block.Cid).GetLength())
                + (block.Data.Length > 0 ? BytesFieldSize(block.Data.Length) : 0);
            size = EmbeddedFieldSize(inner);
        }

        if (Size + size > _maxMessageSize)
        {
            return false;
        }

        _message.Blocks.Add(block);
        _otherSize += size;
        return true;
    }

    public bool TryAdd(BlockPresence presence)
    {
        if (_version < BitswapProtocolVersion.V120)
        {
            return true;   // older peers have no presences: nothing goes on the wire
        }

        int size = EmbeddedFieldSize(BytesFieldSize(presence.Cid.Bytes.Length) + (presence.Type != BlockPresenceType.Have ? 2 : 0));
        if (Size + size > _maxMessageSize)
        {
            return false;
        }

        _message.BlockPresences.Add(presence);
        _otherSize += size;
        return true;
    }

    /// <summary>Sets pendingBytes (1.2.0 only); false when it does not fit.</summary>
    public bool TrySetPendingBytes(int pendingBytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(pendingBytes);
        if (_version < BitswapProtocolVersion.V120)
        {
            return true;
        }

        int old = _message.PendingBytes != 0 ? 1 + CodedOutputStream.ComputeInt32Size(_message.PendingBytes) : 0;
        int next = pendingBytes != 0 ? 1 + CodedOutputStream.ComputeInt32Size(pendingBytes) : 0;
        if (Size - old + next > _maxMessageSize)
        {
            return false;
        }

        _otherSize += next - old;
        _message.PendingBytes = pendingBytes;
        return true;
    }

    /// <summary>Returns the message built so far and starts a new one.</summary>
    public BitswapMessage Build()
    {
        BitswapMessage message = _message;
        _message = new BitswapMessage();
        _wantlistSize = 0;
        _otherSize = 0;
        return message;
    }

    /// <summary>Splits <paramref name="message"/> into messages under the limit; the full-wantlist flag goes on the first.</summary>
    public static List<BitswapMessage> Split(BitswapMessage message, BitswapProtocolVersion version, int maxMessageSize = BitswapMessageCodec.MaxMessageSize)
    {
        ArgumentNullException.ThrowIfNull(message);
        var builder = new BitswapMessageBuilder(version, maxMessageSize);
        var messages = new List<BitswapMessage>();
        if (message.FullWantlist)
        {
            builder.TrySetFullWantlist();
        }

        foreach (WantlistEntry entry in message.Wantlist)
        {
            if (!builder.TryAdd(entry))
            {
                messages.Add(builder.Build());
                AddOrThrow(builder.TryAdd(entry));
            }
        }

        foreach (BlockPresence presence in message.BlockPresences)
        {
            if (!builder.TryAdd(presence))
            {
                messages.Add(builder.Build());
                AddOrThrow(builder.TryAdd(presence));
            }
        }

        foreach (BitswapBlock block in message.Blocks)
        {
            if (!builder.TryAdd(block))
            {
                if (builder.IsEmpty)
                {
                    throw new ArgumentException($"Block {block.Cid} of {block.Data.Length} bytes cannot fit in a message of {maxMessageSize}.", nameof(message));
                }

                messages.Add(builder.Build());
                AddOrThrow(builder.TryAdd(block));
            }
        }

        if (message.PendingBytes != 0 && !builder.TrySetPendingBytes(message.PendingBytes))
        {
            messages.Add(builder.Build());
            builder.TrySetPendingBytes(message.PendingBytes);
        }

        if (!builder.IsEmpty || messages.Count == 0)
        {
            messages.Add(builder.Build());
        }

        return messages;
    }

    private static void AddOrThrow(bool added)
    {
        if (!added)
        {
            throw new ArgumentException("An item cannot fit in an empty message.");
        }
    }

    private static int BytesFieldSize(int length) => 1 + CodedOutputStream.ComputeLengthSize(length) + length;

    private static int EmbeddedFieldSize(int inner) => 1 + CodedOutputStream.ComputeLengthSize(inner) + inner;

    private static int WantlistFieldSize(int inner, bool present) => present ? EmbeddedFieldSize(inner) : 0;
}
