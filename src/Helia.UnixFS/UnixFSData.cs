using System.Buffers.Binary;
using Helia.Core.Ipld.DagPb;

namespace Helia.UnixFS;

/// <summary>
/// The UnixFS Data message carried in a dag-pb node's Data field (specs: ipfs/unixfs.md, proto/unixfs.proto).
/// Encoding matches the JS reference (ipfs-unixfs) byte for byte:
/// <code>
/// 1 Type varint (always) | 2 Data bytes (when not empty) | 3 filesize varint (File and Raw: Data length + sum of blocksizes)
/// 4 blocksizes varint, repeated, not packed | 5 hashType | 6 fanout | 7 mode (when not the type's default)
/// 8 mtime { 1 seconds int64 | 2 nanos fixed32 }
/// </code>
/// </summary>
public sealed class UnixFSData
{
    /// <summary>The mode a file has when none is stored: 0644.</summary>
    public const uint DefaultFileMode = 420;

    /// <summary>The mode a directory has when none is stored: 0755.</summary>
    public const uint DefaultDirectoryMode = 493;

    /// <summary>The HAMT hash function: murmur3-x64-64.</summary>
    public const ulong HamtHashType = 0x22;

    private static readonly Func<string, Exception> s_error = message => new UnixFSException(message);

    public UnixFSData(UnixFSType type)
    {
        Type = type;
    }

    public UnixFSType Type { get; }

    /// <summary>File bytes (leaf or inline), symlink target, or HAMT bitfield.</summary>
    public ReadOnlyMemory<byte> Data { get; init; }

    /// <summary>For each child of a file node, the file bytes under it.</summary>
    public IReadOnlyList<ulong> BlockSizes { get; init; } = [];

    /// <summary>The filesize field as decoded (<c>null</c> when absent); encoding always writes the computed size.</summary>
    public ulong? DeclaredFileSize { get; init; }

    public ulong? HashType { get; init; }

    public ulong? Fanout { get; init; }

    /// <summary>Permission bits (and, when decoded, any higher bits); <c>null</c> means the type's default.</summary>
    public uint? Mode { get; init; }

    public UnixFSTime? Mtime { get; init; }

    public bool IsDirectory => Type is UnixFSType.Directory or UnixFSType.HamtShard;

    /// <summary>The file bytes this node stands for: its own data plus its children's.</summary>
    public ulong FileSize
    {
        get
        {
            if (IsDirectory)
            {
                return 0;
            }

            ulong sum = (ulong)Data.Length;
            foreach (ulong size in BlockSizes)
            {
                sum += size;
            }

            return sum;
        }
    }

    /// <summary>The mode including the default for the type.</summary>
    public uint EffectiveMode => Mode ?? (IsDirectory ? DefaultDirectoryMode : DefaultFileMode);

    private bool WritesFileSize => Type is UnixFSType.File or UnixFSType.Raw;

    private uint? EncodedMode => Mode is uint mode && mode != (IsDirectory ? DefaultDirectoryMode : DefaultFileMode) ? mode : null;

    public int GetEncodedLength()
    {
        int length = ProtoWire.VarintFieldLength((ulong)Type);
        if (!Data.IsEmpty)
        {
            length += ProtoWire.BytesFieldLength(Data.Length);
        }

        if (WritesFileSize)
        {
            length += ProtoWire.VarintFieldLength(FileSize);
        }

        foreach (ulong size in BlockSizes)
        {
            length += ProtoWire.VarintFieldLength(size);
        }

        if (HashType is ulong hashType)
        {
            length += ProtoWire.VarintFieldLength(hashType);
        }

        if (Fanout is ulong fanout)
        {
            length += ProtoWire.VarintFieldLength(fanout);
        }

        if (EncodedMode is uint mode)
        {
            length += ProtoWire.VarintFieldLength(mode);
        }

        if (Mtime is UnixFSTime mtime)
        {
            length += ProtoWire.BytesFieldLength(GetTimeLength(mtime));
        }

        return length;
    }

    public byte[] Encode()
    {
        byte[] bytes = new byte[GetEncodedLength()];
        int position = 0;
        Span<byte> span = bytes;
        ProtoWire.WriteVarintField(span, ref position, 1, (ulong)Type);
        if (!Data.IsEmpty)
        {
            ProtoWire.WriteBytesField(span, ref position, 2, Data.Span);
        }

        if (WritesFileSize)
        {
            ProtoWire.WriteVarintField(span, ref position, 3, FileSize);
        }

        foreach (ulong size in BlockSizes)
        {
            ProtoWire.WriteVarintField(span, ref position, 4, size);
        }

        if (HashType is ulong hashType)
        {
            ProtoWire.WriteVarintField(span, ref position, 5, hashType);
        }

        if (Fanout is ulong fanout)
        {
            ProtoWire.WriteVarintField(span, ref position, 6, fanout);
        }

        if (EncodedMode is uint mode)
        {
            ProtoWire.WriteVarintField(span, ref position, 7, mode);
        }

        if (Mtime is UnixFSTime mtime)
        {
            ProtoWire.WriteVarint(span, ref position, (8 << 3) | ProtoWire.WireTypeLengthDelimited);
            ProtoWire.WriteVarint(span, ref position, (ulong)GetTimeLength(mtime));
            ProtoWire.WriteVarintField(span, ref position, 1, unchecked((ulong)mtime.Seconds));
            if (mtime.Nanoseconds is uint nanos)
            {
                ProtoWire.WriteVarint(span, ref position, (2 << 3) | 5);
                BinaryPrimitives.WriteUInt32LittleEndian(span[position..], nanos);
                position += 4;
            }
        }

        return bytes;
    }

    /// <summary>Decodes a Data message; <see cref="Data"/> is a slice of <paramref name="bytes"/>.</summary>
    public static UnixFSData Decode(ReadOnlyMemory<byte> bytes)
    {
        ReadOnlySpan<byte> span = bytes.Span;
        int position = 0;
        UnixFSType? type = null;
        ReadOnlyMemory<byte> data = default;
        ulong? fileSize = null;
        ulong? hashType = null;
        ulong? fanout = null;
        uint? mode = null;
        UnixFSTime? mtime = null;
        List<ulong> blockSizes = [];
        while (position < span.Length)
        {
            ulong key = ProtoWire.ReadVarint(span, ref position, s_error, "a UnixFS field key");
            ulong field = key >> 3;
            int wireType = (int)(key & 7);
            switch (field, wireType)
            {
                case (1, ProtoWire.WireTypeVarint):
                    ulong value = ProtoWire.ReadVarint(span, ref position, s_error, "the UnixFS Type");
                    type = value <= (ulong)UnixFSType.HamtShard
                        ? (UnixFSType)value
                        : throw new UnixFSException($"Unknown UnixFS type {value}.");
                    break;
                case (2, ProtoWire.WireTypeLengthDelimited):
                    data = bytes[ProtoWire.ReadLengthDelimited(span, ref position, s_error, "the UnixFS Data")];
                    break;
                case (3, ProtoWire.WireTypeVarint):
                    fileSize = ProtoWire.ReadVarint(span, ref position, s_error, "the UnixFS filesize");
                    break;
                case (4, ProtoWire.WireTypeVarint):
                    blockSizes.Add(ProtoWire.ReadVarint(span, ref position, s_error, "a UnixFS blocksize"));
                    break;
                case (4, ProtoWire.WireTypeLengthDelimited):
                    ReadOnlySpan<byte> packed = span[ProtoWire.ReadLengthDelimited(span, ref position, s_error, "the packed UnixFS blocksizes")];
                    int packedPosition = 0;
                    while (packedPosition < packed.Length)
                    {
                        blockSizes.Add(ProtoWire.ReadVarint(packed, ref packedPosition, s_error, "a UnixFS blocksize"));
                    }

                    break;
                case (5, ProtoWire.WireTypeVarint):
                    hashType = ProtoWire.ReadVarint(span, ref position, s_error, "the UnixFS hashType");
                    break;
                case (6, ProtoWire.WireTypeVarint):
                    fanout = ProtoWire.ReadVarint(span, ref position, s_error, "the UnixFS fanout");
                    break;
                case (7, ProtoWire.WireTypeVarint):
                    mode = (uint)ProtoWire.ReadVarint(span, ref position, s_error, "the UnixFS mode");
                    break;
                case (8, ProtoWire.WireTypeLengthDelimited):
                    mtime = ReadTime(span[ProtoWire.ReadLengthDelimited(span, ref position, s_error, "the UnixFS mtime")]);
                    break;
                default:
                    SkipField(span, ref position, field, wireType);
                    break;
            }
        }

        if (type is not UnixFSType known)
        {
            throw new UnixFSException("The UnixFS Data message has no Type.");
        }

        return new UnixFSData(known)
        {
            Data = data,
            DeclaredFileSize = fileSize,
            BlockSizes = blockSizes,
            HashType = hashType,
            Fanout = fanout,
            Mode = mode,
            Mtime = mtime,
        };
    }

    private static void SkipField(ReadOnlySpan<byte> span, ref int position, ulong field, int wireType)
    {
        if (field is >= 1 and <= 8)
        {
            throw new UnixFSException($"UnixFS field {field} has the wrong wire type {wireType}.");
        }

        switch (wireType)
        {
            case ProtoWire.WireTypeVarint:
                ProtoWire.ReadVarint(span, ref position, s_error, $"unknown UnixFS field {field}");
                break;
            case ProtoWire.WireTypeLengthDelimited:
                ProtoWire.ReadLengthDelimited(span, ref position, s_error, $"unknown UnixFS field {field}");
                break;
            case 1 or 5:
                int size = wireType == 1 ? 8 : 4;
                if (span.Length - position < size)
                {
                    throw new UnixFSException($"The input ends inside unknown UnixFS field {field}.");
                }

                position += size;
                break;
            default:
                throw new UnixFSException($"UnixFS field {field} has the unsupported wire type {wireType}.");
        }
    }

    private static UnixFSTime ReadTime(ReadOnlySpan<byte> span)
    {
        int position = 0;
        long? seconds = null;
        uint? nanos = null;
        while (position < span.Length)
        {
            ulong key = ProtoWire.ReadVarint(span, ref position, s_error, "a UnixFS mtime field key");
            switch (key)
            {
                case 1 << 3:
                    seconds = unchecked((long)ProtoWire.ReadVarint(span, ref position, s_error, "the mtime seconds"));
                    break;
                case (2 << 3) | 5:
                    if (span.Length - position < 4)
                    {
                        throw new UnixFSException("The input ends inside the mtime nanoseconds.");
                    }

                    nanos = BinaryPrimitives.ReadUInt32LittleEndian(span[position..]);
                    position += 4;
                    if (nanos is 0 or > 999_999_999)
                    {
                        throw new UnixFSException($"The mtime nanoseconds {nanos} are outside 1..999999999.");
                    }

                    break;
                default:
                    throw new UnixFSException($"The UnixFS mtime has an unexpected field: field {key >> 3} with wire type {key & 7}.");
            }
        }

        return seconds is long s
            ? new UnixFSTime(s, nanos)
            : throw new UnixFSException("The UnixFS mtime has no seconds.");
    }

    private static int GetTimeLength(UnixFSTime time) =>
        ProtoWire.VarintFieldLength(unchecked((ulong)time.Seconds)) + (time.Nanoseconds is null ? 0 : 5);
}
