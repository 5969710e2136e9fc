using System.Buffers;
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
                    ? "This is a CARv2; only CARv1 is supported (export it as CARv1, e.g. with `ipfs dag export`)."
                    : $"CAR version {version} is not supported; only CARv1 is.");
            }

            return roots is null ? throw new CarFormatException("The CAR header has no roots.") : new CarHeader(roots);
        }
        catch (CborContentException ex)
        {
            throw new CarFormatException($"The CAR header is not valid dag-cbor: {ex.Message}", ex);
        }
        catch (InvalidOperationException ex)
        {
            throw new CarFormatException($"The CAR header is not valid dag-cbor: {ex.Message}", ex);
        }
        catch (OverflowException ex)
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
