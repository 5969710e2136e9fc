using System.Buffers;

namespace Helia.Multiformats;

/// <summary>
/// The multiformats unsigned varint (specs: multiformats/unsigned-varint): little-endian groups of 7 bits,
/// the high bit set on every byte but the last. At most 9 bytes (63 bits), and always minimally encoded:
/// a last byte of zero (other than the single byte 0x00) is rejected.
/// </summary>
public static class Varint
{
    /// <summary>The longest encoding the spec allows.</summary>
    public const int MaxLength = 9;

    /// <summary>The largest value that fits in <see cref="MaxLength"/> bytes: 2^63 - 1.</summary>
    public const ulong MaxValue = long.MaxValue;

    /// <summary>How many bytes <paramref name="value"/> takes.</summary>
    public static int GetLength(ulong value)
    {
        if (value > MaxValue)
        {
            throw new ArgumentOutOfRangeException(nameof(value), value, "A varint holds at most 63 bits.");
        }

        int length = 1;
        while (value >= 0x80)
        {
            value >>= 7;
            length++;
        }

        return length;
    }

    /// <summary>Writes <paramref name="value"/> and returns the number of bytes written.</summary>
    public static int Write(ulong value, Span<byte> destination)
    {
        int length = GetLength(value);
        if (destination.Length < length)
        {
            throw new ArgumentException($"A varint of {length} bytes does not fit in {destination.Length}.", nameof(destination));
        }

        int i = 0;
        while (value >= 0x80)
        {
            destination[i++] = (byte)(value | 0x80);
            value >>= 7;
        }

        destination[i++] = (byte)value;
        return i;
    }

    /// <summary>Writes <paramref name="value"/> to a buffer writer.</summary>
    public static void Write(ulong value, IBufferWriter<byte> writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        Span<byte> span = writer.GetSpan(MaxLength);
        writer.Advance(Write(value, span));
    }

    /// <summary>
    /// Reads a varint from the start of <paramref name="source"/>. Returns <see cref="OperationStatus.NeedMoreData"/>
    /// when the source ends inside the varint; throws <see cref="VarintException"/> when it can never be valid.
    /// </summary>
    public static OperationStatus TryRead(ReadOnlySpan<byte> source, out ulong value, out int bytesRead)
    {
        value = 0;
        bytesRead = 0;
        int limit = Math.Min(source.Length, MaxLength);
        for (int i = 0; i < limit; i++)
        {
            byte b = source[i];
            value |= (ulong)(b & 0x7F) << (7 * i);
            if ((b & 0x80) == 0)
            {
                if (b == 0 && i > 0)
                {
                    throw new VarintException("The varint is not minimally encoded (its last byte is zero).");
                }

                bytesRead = i + 1;
                return OperationStatus.Done;
            }
        }

        if (source.Length >= MaxLength)
        {
            throw new VarintException($"The varint is longer than {MaxLength} bytes.");
        }

        value = 0;
        return OperationStatus.NeedMoreData;
    }

    /// <summary>Reads a whole varint from the start of <paramref name="source"/>; a truncated one is an error.</summary>
    public static ulong Read(ReadOnlySpan<byte> source, out int bytesRead)
    {
        if (TryRead(source, out ulong value, out bytesRead) != OperationStatus.Done)
        {
            throw new VarintException("The input ends inside a varint.");
        }

        return value;
    }

    /// <summary>
    /// Reads a varint from the start of a pipe buffer and moves <paramref name="buffer"/> past it.
    /// Returns false when more bytes are needed; throws <see cref="VarintException"/> for an invalid one.
    /// </summary>
    public static bool TryRead(ref ReadOnlySequence<byte> buffer, out ulong value)
    {
        OperationStatus status;
        int bytesRead;
        if (buffer.FirstSpan.Length >= MaxLength || buffer.IsSingleSegment)
        {
            status = TryRead(buffer.FirstSpan, out value, out bytesRead);
        }
        else
        {
            Span<byte> head = stackalloc byte[MaxLength];
            int length = (int)Math.Min(buffer.Length, MaxLength);
            buffer.Slice(0, length).CopyTo(head);
            status = TryRead(head[..length], out value, out bytesRead);
        }

        if (status != OperationStatus.Done)
        {
            return false;
        }

        buffer = buffer.Slice(bytesRead);
        return true;
    }

    /// <summary>Reads one varint from a stream, one byte at a time; the stream must not end inside it.</summary>
    public static async ValueTask<ulong?> ReadAsync(Stream stream, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        byte[] one = new byte[1];
        ulong value = 0;
        for (int i = 0; i < MaxLength; i++)
        {
            int read = await stream.ReadAsync(one, cancellationToken);
            if (read == 0)
            {
                return i == 0 ? null : throw new VarintException("The stream ended inside a varint.");
            }

            byte b = one[0];
            value |= (ulong)(b & 0x7F) << (7 * i);
            if ((b & 0x80) == 0)
            {
                if (b == 0 && i > 0)
                {
                    throw new VarintException("The varint is not minimally encoded (its last byte is zero).");
                }

                return value;
            }
        }

        throw new VarintException($"The varint is longer than {MaxLength} bytes.");
    }
}
