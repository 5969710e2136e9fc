using System.Buffers;
using System.Buffers.Binary;

namespace Helia.Libp2p.Muxing.Yamux;

// Yamux frame header, 12 bytes, big-endian (specs: libp2p yamux / hashicorp spec.md):
// | version (8) | type (8) | flags (16) | stream id (32) | length (32) |
// Length is the payload size for Data, the window delta for WindowUpdate, an opaque value for Ping
// and the error code for GoAway.
internal readonly record struct YamuxHeader(YamuxFrameType Type, YamuxFlags Flags, uint StreamId, uint Length)
{
    public const int Size = 12;

    /// <summary>The only version defined.</summary>
    public const byte Version = 0;

    /// <summary>Reads a header if 12 bytes are buffered and moves <paramref name="buffer"/> past it.</summary>
    /// <exception cref="YamuxException">The version is not 0 or the type is unknown.</exception>
    public static bool TryRead(ref ReadOnlySequence<byte> buffer, out YamuxHeader header)
    {
        if (buffer.Length < Size)
        {
            header = default;
            return false;
        }

        ReadOnlySpan<byte> first = buffer.FirstSpan;
        if (first.Length >= Size)
        {
            header = Read(first);
        }
        else
        {
            Span<byte> bytes = stackalloc byte[Size];
            buffer.Slice(0, Size).CopyTo(bytes);
            header = Read(bytes);
        }

        buffer = buffer.Slice(Size);
        return true;
    }

    /// <summary>Reads a header from exactly the first 12 bytes of <paramref name="bytes"/>.</summary>
    public static YamuxHeader Read(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length < Size)
        {
            throw new YamuxException(YamuxError.ProtocolError, $"A yamux header needs {Size} bytes, got {bytes.Length}.");
        }

        if (bytes[0] != Version)
        {
            throw new YamuxException(YamuxError.ProtocolError, $"Unsupported yamux version {bytes[0]}.");
        }

        if (bytes[1] > (byte)YamuxFrameType.GoAway)
        {
            throw new YamuxException(YamuxError.ProtocolError, $"Unknown yamux frame type {bytes[1]}.");
        }

        return new YamuxHeader(
            (YamuxFrameType)bytes[1],
            (YamuxFlags)BinaryPrimitives.ReadUInt16BigEndian(bytes[2..]),
            BinaryPrimitives.ReadUInt32BigEndian(bytes[4..]),
            BinaryPrimitives.ReadUInt32BigEndian(bytes[8..]));
    }

    /// <summary>Writes the 12 header bytes to the start of <paramref name="destination"/>.</summary>
    public void WriteTo(Span<byte> destination)
    {
        if (destination.Length < Size)
        {
            throw new ArgumentException($"A yamux header needs {Size} bytes.", nameof(destination));
        }

        destination[0] = Version;
        destination[1] = (byte)Type;
        BinaryPrimitives.WriteUInt16BigEndian(destination[2..], (ushort)Flags);
        BinaryPrimitives.WriteUInt32BigEndian(destination[4..], StreamId);
        BinaryPrimitives.WriteUInt32BigEndian(destination[8..], Length);
    }

    /// <summary>Writes the header into <paramref name="writer"/> and advances it.</summary>
    public void WriteTo(IBufferWriter<byte> writer)
    {
        WriteTo(writer.GetSpan(Size));
        writer.Advance(Size);
    }
}
