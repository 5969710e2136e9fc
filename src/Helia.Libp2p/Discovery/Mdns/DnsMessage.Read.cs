using System.Buffers.Binary;
using System.Net;
using System.Text;

namespace Helia.Libp2p.Discovery.Mdns;

public sealed partial class DnsMessage
{
    // The smallest question is a root name (1 byte) + type + class; the smallest record adds ttl and rdlength.
    private const int MinQuestionSize = 5;
    private const int MinRecordSize = 11;
    private const int MaxPointerJumps = 32;

    /// <summary>
    /// Parses one packet. Throws <see cref="DnsFormatException"/> if it is larger than <see cref="MaxPacketSize"/>,
    /// truncated, holds more than <paramref name="maxEntries"/> questions and records, or has a bad name
    /// (a label over 63 bytes, a name over 255, a compression pointer that does not point strictly backwards).
    /// </summary>
    public static DnsMessage Read(ReadOnlySpan<byte> packet, int maxEntries = DefaultMaxEntries)
    {
        if (packet.Length > MaxPacketSize)
        {
            throw new DnsFormatException($"A DNS packet of {packet.Length} bytes exceeds {MaxPacketSize}.");
        }

        if (packet.Length < HeaderSize)
        {
            throw new DnsFormatException($"A DNS packet of {packet.Length} bytes is shorter than its {HeaderSize}-byte header.");
        }

        ushort id = BinaryPrimitives.ReadUInt16BigEndian(packet);
        ushort flags = BinaryPrimitives.ReadUInt16BigEndian(packet[2..]);
        int questionCount = BinaryPrimitives.ReadUInt16BigEndian(packet[4..]);
        int answerCount = BinaryPrimitives.ReadUInt16BigEndian(packet[6..]);
        int authorityCount = BinaryPrimitives.ReadUInt16BigEndian(packet[8..]);
        int additionalCount = BinaryPrimitives.ReadUInt16BigEndian(packet[10..]);

        int recordCount = answerCount + authorityCount + additionalCount;
        if (questionCount + recordCount > maxEntries)
        {
            throw new DnsFormatException($"A DNS packet with {questionCount + recordCount} entries exceeds the limit of {maxEntries}.");
        }

        // Check the counts against the bytes there before allocating anything for them.
        if ((questionCount * MinQuestionSize) + (recordCount * MinRecordSize) > packet.Length - HeaderSize)
        {
            throw new DnsFormatException("The DNS header counts more entries than the packet can hold.");
        }

        int offset = HeaderSize;
        var questions = new DnsQuestion[questionCount];
        for (int i = 0; i < questionCount; i++)
        {
            string name = ReadName(packet, ref offset);
            EnsureAvailable(packet, offset, 4);
            ushort type = BinaryPrimitives.ReadUInt16BigEndian(packet[offset..]);
            ushort rawClass = BinaryPrimitives.ReadUInt16BigEndian(packet[(offset + 2)..]);
            offset += 4;
            questions[i] = new DnsQuestion(name, (DnsRecordType)type, (ushort)(rawClass & 0x7FFF), (rawClass & 0x8000) != 0);
        }

        DnsRecord[] answers = ReadRecords(packet, ref offset, answerCount);
        DnsRecord[] authorities = ReadRecords(packet, ref offset, authorityCount);
        DnsRecord[] additionals = ReadRecords(packet, ref offset, additionalCount);

        return new DnsMessage
        {
            Id = id,
            Flags = flags,
            Questions = questions,
            Answers = answers,
            Authorities = authorities,
            Additionals = additionals,
        };
    }

    private static DnsRecord[] ReadRecords(ReadOnlySpan<byte> packet, ref int offset, int count)
    {
        var records = new DnsRecord[count];
        for (int i = 0; i < count; i++)
        {
            records[i] = ReadRecord(packet, ref offset);
        }

        return records;
    }

    private static DnsRecord ReadRecord(ReadOnlySpan<byte> packet, ref int offset)
    {
        string name = ReadName(packet, ref offset);
        EnsureAvailable(packet, offset, 10);
        var type = (DnsRecordType)BinaryPrimitives.ReadUInt16BigEndian(packet[offset..]);
        ushort rawClass = BinaryPrimitives.ReadUInt16BigEndian(packet[(offset + 2)..]);
        uint ttl = BinaryPrimitives.ReadUInt32BigEndian(packet[(offset + 4)..]);
        int dataLength = BinaryPrimitives.ReadUInt16BigEndian(packet[(offset + 8)..]);
        offset += 10;
        EnsureAvailable(packet, offset, dataLength);

        int dataStart = offset;
        int dataEnd = offset + dataLength;
        ReadOnlySpan<byte> data = packet.Slice(dataStart, dataLength);
        offset = dataEnd;

        var record = new DnsRecord
        {
            Name = name,
            Type = type,
            Class = (ushort)(rawClass & 0x7FFF),
            CacheFlush = (rawClass & 0x8000) != 0,
            Ttl = ttl,
        };

        switch (type)
        {
            case DnsRecordType.A:
                return record with { Address = ReadAddress(data, 4, type) };
            case DnsRecordType.Aaaa:
                return record with { Address = ReadAddress(data, 16, type) };
            case DnsRecordType.Ptr:
                {
                    int position = dataStart;
                    string target = ReadName(packet[..dataEnd], ref position);
                    EnsureConsumed(position, dataEnd, type);
                    return record with { Target = target };
                }

            case DnsRecordType.Srv:
                {
                    if (dataLength < 7)
                    {
                        throw new DnsFormatException($"An SRV record of {dataLength} bytes is too short.");
                    }

                    int position = dataStart + 6;
                    string target = ReadName(packet[..dataEnd], ref position);
                    EnsureConsumed(position, dataEnd, type);
                    return record with
                    {
                        Priority = BinaryPrimitives.ReadUInt16BigEndian(data),
                        Weight = BinaryPrimitives.ReadUInt16BigEndian(data[2..]),
                        Port = BinaryPrimitives.ReadUInt16BigEndian(data[4..]),
                        Target = target,
                    };
                }

            case DnsRecordType.Txt:
                return record with { Text = ReadText(data) };
            default:
                return record with { RawData = data.ToArray() };
        }
    }

    private static IPAddress ReadAddress(ReadOnlySpan<byte> data, int size, DnsRecordType type)
    {
        if (data.Length != size)
        {
            throw new DnsFormatException($"An {type} record holds {data.Length} bytes instead of {size}.");
        }

        return new IPAddress(data);
    }

    // TXT data: character strings, each a length byte and that many bytes (RFC 1035 section 3.3.14).
    private static ReadOnlyMemory<byte>[] ReadText(ReadOnlySpan<byte> data)
    {
        int count = 0;
        for (int i = 0; i < data.Length; i += 1 + data[i])
        {
            if (i + 1 + data[i] > data.Length)
            {
                throw new DnsFormatException("A TXT string runs past the end of its record.");
            }

            count++;
        }

        var strings = new ReadOnlyMemory<byte>[count];
        int position = 0;
        for (int i = 0; i < count; i++)
        {
            int length = data[position];
            strings[i] = data.Slice(position + 1, length).ToArray();
            position += 1 + length;
        }

        return strings;
    }

    /// <summary>
    /// Reads a possibly compressed name at <paramref name="offset"/> and moves the offset past its bytes in place.
    /// A pointer must point before the start of the run of labels that holds it, so every jump goes strictly
    /// backwards and no chain of pointers can loop.
    /// </summary>
    private static string ReadName(ReadOnlySpan<byte> packet, ref int offset)
    {
        Span<byte> name = stackalloc byte[MaxNameLength];
        int nameLength = 0;
        int position = offset;
        int runStart = offset;
        int end = -1;                    // where the name ends in place: after the first pointer or the zero byte
        int jumps = 0;

        while (true)
        {
            EnsureAvailable(packet, position, 1);
            byte length = packet[position];
            if ((length & 0xC0) == 0xC0)
            {
                EnsureAvailable(packet, position, 2);
                int target = BinaryPrimitives.ReadUInt16BigEndian(packet[position..]) & 0x3FFF;
                if (end < 0)
                {
                    end = position + 2;
                }

                if (target >= runStart || ++jumps > MaxPointerJumps)
                {
                    throw new DnsFormatException($"A DNS name pointer at {position} to {target} does not point backwards.");
                }

                position = target;
                runStart = target;
                continue;
            }

            if ((length & 0xC0) != 0)
            {
                throw new DnsFormatException($"Unknown DNS label type 0x{length:x2} at {position}.");
            }

            if (length == 0)
            {
                if (end < 0)
                {
                    end = position + 1;
                }

                break;
            }

            EnsureAvailable(packet, position + 1, length);
            int needed = nameLength == 0 ? length : length + 1;
            if (nameLength + needed > MaxNameLength)
            {
                throw new DnsFormatException($"A DNS name is longer than {MaxNameLength} bytes.");
            }

            if (nameLength > 0)
            {
                name[nameLength++] = (byte)'.';
            }

            packet.Slice(position + 1, length).CopyTo(name[nameLength..]);
            nameLength += length;
            position += 1 + length;
        }

        offset = end;
        return Encoding.UTF8.GetString(name[..nameLength]);
    }

    private static void EnsureAvailable(ReadOnlySpan<byte> packet, int offset, int count)
    {
        if ((uint)offset > (uint)packet.Length || packet.Length - offset < count)
        {
            throw new DnsFormatException($"The DNS packet is truncated: {count} bytes needed at {offset} of {packet.Length}.");
        }
    }

    private static void EnsureConsumed(int position, int dataEnd, DnsRecordType type)
    {
        if (position != dataEnd)
        {
            throw new DnsFormatException($"A {type} record's name does not fill its data.");
        }
    }
}
