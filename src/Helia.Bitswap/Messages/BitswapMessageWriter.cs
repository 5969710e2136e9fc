using System.Buffers;
using System.IO.Pipelines;

namespace Helia.Bitswap.Messages;

/// <summary>
/// Writes Bitswap messages, each with its length prefix, field by field as the protobuf encoding of Protos/bitswap.proto
/// lays them out, in field order and with proto3's defaults left out (so the bytes are the ones Google.Protobuf writes
/// for the same message; tested against the generated code):
/// <code>
/// Message       = [1: Wantlist] [2: bytes block]* [3: Block payload]* [4: BlockPresence]* [5: int32 pendingBytes]
/// Wantlist      = [1: Entry entries]* [2: bool full]
/// Entry         = [1: bytes block (a CID)] [2: int32 priority] [3: bool cancel] [4: WantType wantType] [5: bool sendDontHave]
/// Block         = [1: bytes prefix] [2: bytes data]
/// BlockPresence = [1: bytes cid] [2: BlockPresenceType type]
/// </code>
/// A field is its tag (field number &lt;&lt; 3 | wire type: one byte, every number here is below 16), then a varint
/// (int32 and enums sign-extended to 64 bits, as protobuf does) or a varint length and that many bytes. The message's
/// size is added up from its items, not by building it once more.
/// <para>
/// Everything but large blocks goes into one pooled scratch buffer. A block of at least <see cref="DirectBlockSize"/>
/// bytes is not copied: <see cref="WriteToAsync"/> hands it to the output's WriteAsync as it is, between the scratch's
/// pieces, so a yamux stream frames it straight from the blockstore's memory into the connection's buffer.
/// </para>
/// </summary>
internal sealed class BitswapMessageWriter : IBufferWriter<byte>, IDisposable
{
    /// <summary>Blocks this large are written from their own memory; smaller ones are copied along with the fields around them.</summary>
    public const int DirectBlockSize = 32 * 1024;

    private const int WireVarint = 0;
    private const int WireLengthDelimited = 2;

    // The most bytes any one field other than a block's data takes: a tag, a 5-byte length and a CID (or a 10-byte varint).
    private const int MaxSmallField = 1 + 5 + Helia.Multiformats.Cid.MaxLength;

    private readonly List<Piece> _pieces = [];
    private byte[] _buffer = [];
    private int _written;
    private int _runStart;

    /// <summary>True when nothing was added since the last write.</summary>
    public bool IsEmpty => _written == 0 && _pieces.Count == 0;

    /// <summary>
    /// Adds <paramref name="message"/> with its length prefix, in the form <paramref name="version"/> understands (see
    /// <see cref="BitswapMessageCodec.Write"/>). Throws <see cref="ArgumentException"/> when it exceeds
    /// <see cref="BitswapMessageCodec.MaxMessageSize"/>.
    /// </summary>
    public void Add(BitswapMessage message, BitswapProtocolVersion version) => Write(message, version, this, this);

    /// <summary>
    /// Writes everything added, in order, then forgets it: the scratch's pieces and the large blocks each through one
    /// WriteAsync. Returns the last write's result (a completed one stops the writing: the reader is gone).
    /// </summary>
    public async ValueTask<FlushResult> WriteToAsync(PipeWriter output, CancellationToken cancellationToken)
    {
        try
        {
            CloseRun();
            if (_pieces.Count == 0)
            {
                return await output.FlushAsync(cancellationToken);
            }

            FlushResult result = default;
            foreach (Piece piece in _pieces)
            {
                ReadOnlyMemory<byte> bytes = piece.Direct.IsEmpty ? _buffer.AsMemory(piece.Start, piece.Length) : piece.Direct;
                result = await output.WriteAsync(bytes, cancellationToken);
                if (result.IsCompleted)
                {
                    break;
                }
            }

            return result;
        }
        finally
        {
            Reset();
        }
    }

    /// <summary>Drops whatever was added and not written, and returns the scratch buffer to the pool.</summary>
    public void Reset()
    {
        _pieces.Clear();
        _written = 0;
        _runStart = 0;
        if (_buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = [];
        }
    }

    public void Dispose() => Reset();

    public void Advance(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, _buffer.Length - _written);
        _written += count;
    }

    public Memory<byte> GetMemory(int sizeHint = 0)
    {
        Ensure(sizeHint);
        return _buffer.AsMemory(_written);
    }

    public Span<byte> GetSpan(int sizeHint = 0)
    {
        Ensure(sizeHint);
        return _buffer.AsSpan(_written);
    }

    /// <summary>
    /// Writes <paramref name="message"/> with its length prefix to <paramref name="output"/>; blocks of at least
    /// <see cref="DirectBlockSize"/> bytes go to <paramref name="direct"/> uncopied when it is given.
    /// </summary>
    internal static void Write(BitswapMessage message, BitswapProtocolVersion version, IBufferWriter<byte> output, BitswapMessageWriter? direct)
    {
        int size = GetBodySize(message, version);
        if (size > BitswapMessageCodec.MaxMessageSize)
        {
            throw new ArgumentException($"A message of {size} bytes exceeds the limit of {BitswapMessageCodec.MaxMessageSize}; split it.", nameof(message));
        }

        Span<byte> span = output.GetSpan(5);
        output.Advance(WriteVarint((uint)size, span));

        bool supportsHave = version >= BitswapProtocolVersion.V120;
        if (HasWantlist(message))
        {
            WriteHeader(output, 1, WantlistSize(message, supportsHave));
            foreach (WantlistEntry entry in message.Wantlist)
            {
                span = output.GetSpan(2 * MaxSmallField);
                int n = WriteTag(span, 1, WireLengthDelimited);
                n += WriteVarint((uint)EntrySize(entry, supportsHave), span[n..]);
                n += WriteBytesField(span[n..], 1, entry.Cid.Bytes);
                if (entry.Priority != 0)
                {
                    n += WriteTag(span[n..], 2, WireVarint);
                    n += WriteVarint((ulong)(long)entry.Priority, span[n..]);
                }

                if (entry.Cancel)
                {
                    n += WriteTag(span[n..], 3, WireVarint);
                    span[n++] = 1;
                }

                if (supportsHave && entry.WantType != WantType.Block)
                {
                    n += WriteTag(span[n..], 4, WireVarint);
                    n += WriteVarint((ulong)(long)entry.WantType, span[n..]);
                }

                if (supportsHave && entry.SendDontHave)
                {
                    n += WriteTag(span[n..], 5, WireVarint);
                    span[n++] = 1;
                }

                output.Advance(n);
            }

            if (message.FullWantlist)
            {
                span = output.GetSpan(2);
                int n = WriteTag(span, 2, WireVarint);
                span[n++] = 1;
                output.Advance(n);
            }
        }

        foreach (BitswapBlock block in message.Blocks)
        {
            if (version == BitswapProtocolVersion.V100)
            {
                // A repeated bytes field: every element is written, an empty one too.
                WriteHeader(output, 2, block.Data.Length);
            }
            else
            {
                CidPrefix prefix = CidPrefix.FromCid(block.Cid);
                span = output.GetSpan(2 * MaxSmallField);
                int n = WriteTag(span, 3, WireLengthDelimited);
                n += WriteVarint((uint)PayloadSize(prefix, block.Data.Length), span[n..]);
                n += WriteTag(span[n..], 1, WireLengthDelimited);
                n += WriteVarint((uint)prefix.GetLength(), span[n..]);
                n += prefix.WriteTo(span[n..]);
                output.Advance(n);
                if (block.Data.IsEmpty)
                {
                    continue;
                }

                WriteHeader(output, 2, block.Data.Length);
            }

            if (direct is not null && block.Data.Length >= DirectBlockSize)
            {
                direct.AddDirect(block.Data);
            }
            else
            {
                output.Write(block.Data.Span);
            }
        }

        if (!supportsHave)
        {
            return;
        }

        foreach (BlockPresence presence in message.BlockPresences)
        {
            span = output.GetSpan(2 * MaxSmallField);
            int n = WriteTag(span, 4, WireLengthDelimited);
            n += WriteVarint((uint)PresenceSize(presence), span[n..]);
            n += WriteBytesField(span[n..], 1, presence.Cid.Bytes);
            if (presence.Type != BlockPresenceType.Have)
            {
                n += WriteTag(span[n..], 2, WireVarint);
                n += WriteVarint((ulong)(long)presence.Type, span[n..]);
            }

            output.Advance(n);
        }

        if (message.PendingBytes != 0)
        {
            span = output.GetSpan(11);
            int n = WriteTag(span, 5, WireVarint);
            n += WriteVarint((ulong)(long)message.PendingBytes, span[n..]);
            output.Advance(n);
        }
    }

    /// <summary>The encoded size of <paramref name="message"/> for <paramref name="version"/>, without its length prefix.</summary>
    internal static int GetBodySize(BitswapMessage message, BitswapProtocolVersion version)
    {
        bool supportsHave = version >= BitswapProtocolVersion.V120;
        long size = HasWantlist(message) ? LengthDelimitedSize(WantlistSize(message, supportsHave)) : 0;
        foreach (BitswapBlock block in message.Blocks)
        {
            size += LengthDelimitedSize(version == BitswapProtocolVersion.V100
                ? block.Data.Length
                : PayloadSize(CidPrefix.FromCid(block.Cid), block.Data.Length));
        }

        if (supportsHave)
        {
            foreach (BlockPresence presence in message.BlockPresences)
            {
                size += LengthDelimitedSize(PresenceSize(presence));
            }

            if (message.PendingBytes != 0)
            {
                size += 1 + VarintLength((ulong)(long)message.PendingBytes);
            }
        }

        return (int)Math.Min(size, int.MaxValue);
    }

    private static bool HasWantlist(BitswapMessage message) => message.Wantlist.Count > 0 || message.FullWantlist;

    private static int WantlistSize(BitswapMessage message, bool supportsHave)
    {
        int size = message.FullWantlist ? 2 : 0;
        foreach (WantlistEntry entry in message.Wantlist)
        {
            size += LengthDelimitedSize(EntrySize(entry, supportsHave));
        }

        return size;
    }

    private static int EntrySize(WantlistEntry entry, bool supportsHave) =>
        LengthDelimitedSize(entry.Cid.Bytes.Length)
        + (entry.Priority != 0 ? 1 + VarintLength((ulong)(long)entry.Priority) : 0)
        + (entry.Cancel ? 2 : 0)
        + (supportsHave && entry.WantType != WantType.Block ? 1 + VarintLength((ulong)(long)entry.WantType) : 0)
        + (supportsHave && entry.SendDontHave ? 2 : 0);

    private static int PayloadSize(CidPrefix prefix, int dataLength) =>
        LengthDelimitedSize(prefix.GetLength()) + (dataLength > 0 ? LengthDelimitedSize(dataLength) : 0);

    private static int PresenceSize(BlockPresence presence) =>
        LengthDelimitedSize(presence.Cid.Bytes.Length)
        + (presence.Type != BlockPresenceType.Have ? 1 + VarintLength((ulong)(long)presence.Type) : 0);

    /// <summary>A length-delimited field: its tag, its length and its bytes.</summary>
    private static int LengthDelimitedSize(int length) => 1 + VarintLength((uint)length) + length;

    /// <summary>A length-delimited field's tag and length; its bytes follow.</summary>
    private static void WriteHeader(IBufferWriter<byte> output, int field, int length)
    {
        Span<byte> span = output.GetSpan(6);
        int n = WriteTag(span, field, WireLengthDelimited);
        n += WriteVarint((uint)length, span[n..]);
        output.Advance(n);
    }

    private static int WriteBytesField(Span<byte> destination, int field, ReadOnlySpan<byte> bytes)
    {
        if (bytes.IsEmpty)
        {
            return 0;   // proto3 leaves an empty bytes field out
        }

        int n = WriteTag(destination, field, WireLengthDelimited);
        n += WriteVarint((uint)bytes.Length, destination[n..]);
        bytes.CopyTo(destination[n..]);
        return n + bytes.Length;
    }

    private static int WriteTag(Span<byte> destination, int field, int wireType)
    {
        destination[0] = (byte)((field << 3) | wireType);
        return 1;
    }

    /// <summary>A protobuf varint: 7 bits a byte, low bits first, up to 10 bytes.</summary>
    private static int WriteVarint(ulong value, Span<byte> destination)
    {
        int n = 0;
        while (value >= 0x80)
        {
            destination[n++] = (byte)(value | 0x80);
            value >>= 7;
        }

        destination[n++] = (byte)value;
        return n;
    }

    private static int VarintLength(ulong value) => value == 0 ? 1 : ((63 - System.Numerics.BitOperations.LeadingZeroCount(value)) / 7) + 1;

    private void AddDirect(ReadOnlyMemory<byte> bytes)
    {
        CloseRun();
        _pieces.Add(new Piece(0, 0, bytes));
    }

    /// <summary>Ends the scratch bytes written since the last large block as one piece.</summary>
    private void CloseRun()
    {
        if (_written > _runStart)
        {
            _pieces.Add(new Piece(_runStart, _written - _runStart, default));
            _runStart = _written;
        }
    }

    private void Ensure(int sizeHint)
    {
        sizeHint = Math.Max(sizeHint, 1);
        if (_buffer.Length - _written >= sizeHint)
        {
            return;
        }

        // Pieces refer to the scratch by offset, so moving it to a larger array keeps them valid.
        byte[] larger = ArrayPool<byte>.Shared.Rent(Math.Max(Math.Max(4096, _buffer.Length * 2), _written + sizeHint));
        _buffer.AsSpan(0, _written).CopyTo(larger);
        if (_buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(_buffer);
        }

        _buffer = larger;
    }

    /// <summary>Scratch bytes [Start, Start + Length), or a large block's own memory.</summary>
    private readonly record struct Piece(int Start, int Length, ReadOnlyMemory<byte> Direct);
}
