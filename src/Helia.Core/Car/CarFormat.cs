using System.Buffers;
using System.Buffers.Binary;
using System.Formats.Cbor;
using Helia.Core.Blocks;
using Helia.Multiformats;
using Helia.Multiformats.Hashing;

namespace Helia.Core.Car;

/// <summary>
/// The CARv1 wire format, without I/O: a varint-prefixed dag-cbor header <c>{"roots": [CID…], "version": 1}</c>, then
/// sections of a varint length, a binary CID and the block's bytes. The readers take a pipe buffer and return false
/// until it holds a whole item; malformed, oversized or unverifiable input throws <see cref="CarFormatException"/>.
/// </summary>
public static class CarFormat
{
    /// <summary>The CBOR tag dag-cbor puts on a CID (its bytes follow in a byte string behind a 0x00 prefix).</summary>
    public const int CidTag = 42;

    /// <summary>The length of the CARv2 pragma, a CARv1-style header saying <c>{"version": 2}</c>.</summary>
    public const int V2PragmaLength = 11;

    private const string RootsKey = "roots";
    private const string VersionKey = "version";

    /// <summary>
    /// Writes the varint-prefixed header in dag-cbor's canonical form (keys by length, so "roots" before "version"),
    /// byte for byte what @ipld/car and go-car write.
    /// </summary>
    public static void WriteHeader(IBufferWriter<byte> writer, IReadOnlyList<Cid> roots)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(roots);
        byte[] header = EncodeHeader(roots);
        Varint.Write((ulong)header.Length, writer);
        writer.Write(header);
    }

    /// <summary>The header's dag-cbor bytes, without the length prefix.</summary>
    public static byte[] EncodeHeader(IReadOnlyList<Cid> roots)
    {
        ArgumentNullException.ThrowIfNull(roots);
        var cbor = new CborWriter(CborConformanceMode.Canonical);
        cbor.WriteStartMap(2);
        cbor.WriteTextString(RootsKey);
        cbor.WriteStartArray(roots.Count);
        Span<byte> tagged = stackalloc byte[Cid.MaxLength + 1];
        foreach (Cid root in roots)
        {
            if (root.IsEmpty)
            {
                throw new ArgumentException("A CAR root cannot be the empty CID.", nameof(roots));
            }

            tagged[0] = 0;
            int length = root.WriteTo(tagged[1..]);
            cbor.WriteTag((CborTag)CidTag);
            cbor.WriteByteString(tagged[..(length + 1)]);
        }

        cbor.WriteEndArray();
        cbor.WriteTextString(VersionKey);
        cbor.WriteInt32(CarHeader.Version);
        cbor.WriteEndMap();
        return cbor.Encode();
    }

    /// <summary>The 11 bytes every CARv2 starts with.</summary>
    public static ReadOnlySpan<byte> V2Pragma => [0x0a, 0xa1, 0x67, 0x76, 0x65, 0x72, 0x73, 0x69, 0x6f, 0x6e, 0x02];

    /// <summary>True when <paramref name="buffer"/> starts with the CARv2 pragma.</summary>
    public static bool StartsWithV2Pragma(in ReadOnlySequence<byte> buffer)
    {
        if (buffer.Length < V2PragmaLength)
        {
            return false;
        }

        Span<byte> head = stackalloc byte[V2PragmaLength];
        buffer.Slice(0, V2PragmaLength).CopyTo(head);
        return head.SequenceEqual(V2Pragma);
    }

    /// <summary>
    /// Reads the 40-byte CARv2 header that follows the pragma, checking that the data payload starts after it, is not
    /// empty, fits in a stream's length, and that an index (if any) starts after the payload.
    /// </summary>
    public static CarV2Header ReadV2Header(ReadOnlySpan<byte> header)
    {
        if (header.Length < CarV2Header.PrefixLength - V2PragmaLength)
        {
            throw new CarFormatException("The CARv2 ends inside its header.");
        }

        UInt128 characteristics = BinaryPrimitives.ReadUInt128LittleEndian(header);
        ulong dataOffset = BinaryPrimitives.ReadUInt64LittleEndian(header[16..]);
        ulong dataSize = BinaryPrimitives.ReadUInt64LittleEndian(header[24..]);
        ulong indexOffset = BinaryPrimitives.ReadUInt64LittleEndian(header[32..]);
        if (dataOffset < CarV2Header.PrefixLength)
        {
            throw new CarFormatException($"The CARv2 data offset {dataOffset} points into its header.");
        }

        if (dataSize == 0)
        {
            throw new CarFormatException("The CARv2 data payload is empty.");
        }

        if (dataOffset > long.MaxValue || dataSize > long.MaxValue - dataOffset)
        {
            throw new CarFormatException($"The CARv2 data payload ({dataSize} bytes at {dataOffset}) is too large.");
        }

        if (indexOffset != 0 && indexOffset < dataOffset + dataSize)
        {
            throw new CarFormatException($"The CARv2 index offset {indexOffset} points into its data payload.");
        }

        return new CarV2Header(characteristics, (long)dataOffset, (long)dataSize, indexOffset > long.MaxValue ? long.MaxValue : (long)indexOffset);
    }

    /// <summary>Writes one section: the varint length of CID and bytes, the binary CID, the bytes.</summary>
    public static void WriteSection(IBufferWriter<byte> writer, Cid cid, ReadOnlySpan<byte> bytes)
    {
        ArgumentNullException.ThrowIfNull(writer);
        if (cid.IsEmpty)
        {
            throw new ArgumentException("A CAR section needs a CID.", nameof(cid));
        }

        Varint.Write((ulong)(cid.Bytes.Length + bytes.Length), writer);
        writer.Write(cid.Bytes);
        writer.Write(bytes);
    }

    /// <summary>
    /// Reads the header from the start of <paramref name="buffer"/> and moves it past. Returns false when more bytes
    /// are needed; throws <see cref="CarFormatException"/> for an oversized, malformed or non-v1 header.
    /// </summary>
    public static bool TryReadHeader(ref ReadOnlySequence<byte> buffer, CarReaderOptions options, out CarHeader header)
    {
        ArgumentNullException.ThrowIfNull(options);
        header = null!;
        ReadOnlySequence<byte> rest = buffer;
        if (!TryReadLength(ref rest, "header", out ulong length))
        {
            return false;
        }

        if (length == 0)
        {
            throw new CarFormatException("The CAR header is empty.");
        }

        if (length > (ulong)options.MaxHeaderLength)
        {
            throw new CarFormatException($"The CAR header announces {length} bytes, more than the {options.MaxHeaderLength} allowed.");
        }

        if (rest.Length < (long)length)
        {
            return false;
        }

        ReadOnlySequence<byte> bytes = rest.Slice(0, (long)length);
        header = DecodeHeader(bytes.IsSingleSegment ? bytes.First : bytes.ToArray(), options);
        buffer = rest.Slice(bytes.End);
        return true;
    }

    /// <summary>Decodes the header's dag-cbor bytes (without the length prefix).</summary>
    public static CarHeader DecodeHeader(ReadOnlyMemory<byte> bytes, CarReaderOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var cbor = new CborReader(bytes, CborConformanceMode.Strict);
        try
        {
            Expect(cbor, CborReaderState.StartMap, "The CAR header is not a map.");
            cbor.ReadStartMap();
            ulong? version = null;
            List<Cid>? roots = null;
            while (cbor.PeekState() != CborReaderState.EndMap)
            {
                Expect(cbor, CborReaderState.TextString, "A CAR header key is not a string.");
                string key = cbor.ReadTextString();
                if (key == VersionKey)
                {
                    Expect(cbor, CborReaderState.UnsignedInteger, "The CAR header's version is not an unsigned integer.");
                    version = cbor.ReadUInt64();
                }
                else if (key == RootsKey)
                {
                    roots = ReadRoots(cbor, options);
                }
                else
                {
                    throw new CarFormatException($"The CAR header has an unknown key \"{key}\".");
                }
            }

            cbor.ReadEndMap();
            if (cbor.BytesRemaining != 0)
            {
                throw new CarFormatException($"{cbor.BytesRemaining} bytes follow the CAR header's map.");
            }

            if (version is null)
            {
                throw new CarFormatException("The CAR header has no version.");
            }

            if (version != CarHeader.Version)
            {
                throw new CarFormatException(version == 2
                    ? "A CARv2 header where a CARv1 header was expected (a CARv2 payload must be a CARv1)."
                    : $"CAR version {version} is not supported; only CARv1 and CARv2 are.");
            }

            return roots is null ? throw new CarFormatException("The CAR header has no roots.") : new CarHeader(roots);
        }
        catch (Exception ex) when (ex is CborContentException or InvalidOperationException or OverflowException)
        {
            throw new CarFormatException($"The CAR header is not valid dag-cbor: {ex.Message}", ex);
        }
    }

    /// <summary>
    /// Reads one section from the start of <paramref name="buffer"/> and moves it past. The block's bytes are copied
    /// into an array of their own and verified against the CID's multihash. Returns false when more bytes are needed;
    /// throws <see cref="CarFormatException"/> for an oversized or malformed section, an unknown hash function, or bytes
    /// that do not hash to the CID.
    /// </summary>
    public static bool TryReadSection(ref ReadOnlySequence<byte> buffer, CarReaderOptions options, out Block block)
    {
        ArgumentNullException.ThrowIfNull(options);
        block = default;
        ReadOnlySequence<byte> rest = buffer;
        if (!TryReadLength(ref rest, "section", out ulong length))
        {
            return false;
        }

        ulong maxLength = (ulong)options.MaxBlockLength + Cid.MaxLength;
        if (length == 0)
        {
            throw new CarFormatException("A CAR section is empty (it has no CID).");
        }

        if (length > maxLength)
        {
            throw new CarFormatException($"A CAR section announces {length} bytes, more than the {maxLength} allowed (a block may have {options.MaxBlockLength}).");
        }

        if (rest.Length < (long)length)
        {
            return false;
        }

        ReadOnlySequence<byte> section = rest.Slice(0, (long)length);
        Cid cid = ReadSectionCid(section, out int cidLength);
        long dataLength = (long)length - cidLength;
        if (dataLength > options.MaxBlockLength)
        {
            throw new CarFormatException($"Block {cid} has {dataLength} bytes, more than the {options.MaxBlockLength} allowed.");
        }

        if (!MultihashHashers.TryGet(cid.Hash.Code, out MultihashHasher hasher))
        {
            throw new CarFormatException($"Block {cid} uses the hash function {MultihashHashers.NameOf(cid.Hash.Code)}, which we cannot verify.");
        }

        byte[] bytes = section.Slice(cidLength).ToArray();
        if (!hasher.Matches(cid.Hash, bytes))
        {
            throw new CarFormatException($"The bytes of block {cid} do not hash to its CID.");
        }

        block = new Block(cid, bytes);
        buffer = rest.Slice(section.End);
        return true;
    }

    private static bool TryReadLength(ref ReadOnlySequence<byte> buffer, string what, out ulong length)
    {
        try
        {
            return Varint.TryRead(ref buffer, out length);
        }
        catch (VarintException ex)
        {
            throw new CarFormatException($"The CAR {what} length is not a valid varint: {ex.Message}", ex);
        }
    }

    private static Cid ReadSectionCid(in ReadOnlySequence<byte> section, out int cidLength)
    {
        Span<byte> head = stackalloc byte[Cid.MaxLength];
        int available = (int)Math.Min(section.Length, Cid.MaxLength);
        section.Slice(0, available).CopyTo(head);
        try
        {
            if (Cid.TryRead(head[..available], out Cid cid, out cidLength))
            {
                return cid;
            }
        }
        catch (MultiformatsException ex)
        {
            throw new CarFormatException($"A CAR section does not start with a valid CID: {ex.Message}", ex);
        }

        throw new CarFormatException($"A CAR section of {section.Length} bytes ends inside its CID.");
    }

    private static List<Cid> ReadRoots(CborReader cbor, CarReaderOptions options)
    {
        Expect(cbor, CborReaderState.StartArray, "The CAR header's roots are not an array.");
        cbor.ReadStartArray();
        var roots = new List<Cid>();
        while (cbor.PeekState() != CborReaderState.EndArray)
        {
            if (roots.Count == options.MaxRoots)
            {
                throw new CarFormatException($"The CAR header names more than {options.MaxRoots} roots.");
            }

            Expect(cbor, CborReaderState.Tag, "A CAR root is not a CID (tag 42).");
            CborTag tag = cbor.ReadTag();
            if (tag != (CborTag)CidTag)
            {
                throw new CarFormatException($"A CAR root has CBOR tag {(ulong)tag}, not {CidTag} (CID).");
            }

            Expect(cbor, CborReaderState.ByteString, "A CAR root's tag 42 is not over a byte string.");
            byte[] bytes = cbor.ReadByteString();
            if (bytes.Length == 0 || bytes[0] != 0)
            {
                throw new CarFormatException("A CAR root's bytes do not start with the 0x00 multibase prefix.");
            }

            try
            {
                roots.Add(Cid.FromBytes(bytes.AsSpan(1)));
            }
            catch (MultiformatsException ex)
            {
                throw new CarFormatException($"A CAR root is not a valid CID: {ex.Message}", ex);
            }
        }

        cbor.ReadEndArray();
        return roots;
    }

    private static void Expect(CborReader cbor, CborReaderState state, string message)
    {
        if (cbor.PeekState() != state)
        {
            throw new CarFormatException(message);
        }
    }
}
