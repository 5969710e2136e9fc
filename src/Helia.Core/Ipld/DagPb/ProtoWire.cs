namespace Helia.Core.Ipld.DagPb;

/// <summary>
/// The protobuf wire primitives dag-pb needs, strict: varints are minimal and at most 10 bytes (64 bits),
/// lengths never point past the input. Shared with the UnixFS Data message, which is also hand-written.
/// </summary>
public static class ProtoWire
{
    /// <summary>The longest protobuf varint.</summary>
    public const int MaxVarintLength = 10;

    public const int WireTypeVarint = 0;

    public const int WireTypeLengthDelimited = 2;

    /// <summary>The bytes a varint of <paramref name="value"/> takes.</summary>
    public static int VarintLength(ulong value)
    {
        int length = 1;
        while (value >= 0x80)
        {
            value >>= 7;
            length++;
        }

        return length;
    }

    /// <summary>Writes a varint at <paramref name="position"/> and moves it past.</summary>
    public static void WriteVarint(Span<byte> destination, ref int position, ulong value)
    {
        while (value >= 0x80)
        {
            destination[position++] = (byte)(value | 0x80);
            value >>= 7;
        }

        destination[position++] = (byte)value;
    }

    /// <summary>Writes a length-delimited field: key, length, bytes.</summary>
    public static void WriteBytesField(Span<byte> destination, ref int position, int field, ReadOnlySpan<byte> bytes)
    {
        WriteVarint(destination, ref position, (ulong)((field << 3) | WireTypeLengthDelimited));
        WriteVarint(destination, ref position, (ulong)bytes.Length);
        bytes.CopyTo(destination[position..]);
        position += bytes.Length;
    }

    /// <summary>Writes a varint field: key, value.</summary>
    public static void WriteVarintField(Span<byte> destination, ref int position, int field, ulong value)
    {
        WriteVarint(destination, ref position, (ulong)(field << 3));
        WriteVarint(destination, ref position, value);
    }

    /// <summary>The encoded size of a length-delimited field with a one-byte key.</summary>
    public static int BytesFieldLength(int length) => 1 + VarintLength((ulong)length) + length;

    /// <summary>The encoded size of a varint field with a one-byte key.</summary>
    public static int VarintFieldLength(ulong value) => 1 + VarintLength(value);

    /// <summary>
    /// Reads a varint at <paramref name="position"/>. Throws <paramref name="error"/>'s exception when the input ends
    /// inside it, when it is longer than 64 bits, or when it is not minimally encoded.
    /// </summary>
    public static ulong ReadVarint(ReadOnlySpan<byte> source, ref int position, Func<string, Exception> error, string what)
    {
        ulong value = 0;
        for (int i = 0; i < MaxVarintLength; i++)
        {
            if (position >= source.Length)
            {
                throw error($"The input ends inside the varint of {what}.");
            }

            byte b = source[position++];
            if (i == MaxVarintLength - 1 && b > 1)
            {
                throw error($"The varint of {what} overflows 64 bits.");
            }

            value |= (ulong)(b & 0x7F) << (7 * i);
            if ((b & 0x80) == 0)
            {
                if (b == 0 && i > 0)
                {
                    throw error($"The varint of {what} is not minimally encoded.");
                }

                return value;
            }
        }

        throw error($"The varint of {what} is longer than {MaxVarintLength} bytes.");
    }

    /// <summary>Reads a length prefix and returns the range of the bytes it announces, checked against the input.</summary>
    public static Range ReadLengthDelimited(ReadOnlySpan<byte> source, ref int position, Func<string, Exception> error, string what)
    {
        ulong length = ReadVarint(source, ref position, error, $"the length of {what}");
        if (length > (ulong)(source.Length - position))
        {
            throw error($"{what} claims {length} bytes but only {source.Length - position} remain.");
        }

        int start = position;
        position += (int)length;
        return new Range(start, position);
    }
}
