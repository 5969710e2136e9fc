using System.Buffers.Binary;
using System.Net.Sockets;
using System.Text;

namespace Helia.Libp2p.Discovery.Mdns;

public sealed partial class DnsMessage
{
    /// <summary>The number of bytes <see cref="Write"/> produces.</summary>
    public int GetEncodedSize()
    {
        int size = HeaderSize;
        foreach (DnsQuestion question in Questions)
        {
            size += GetNameSize(question.Name) + 4;
        }

        size += GetRecordsSize(Answers) + GetRecordsSize(Authorities) + GetRecordsSize(Additionals);
        return size;
    }

    /// <summary>Encodes the message and returns the bytes; throws <see cref="ArgumentException"/> past <see cref="MaxPacketSize"/>.</summary>
    public byte[] ToArray()
    {
        var bytes = new byte[GetEncodedSize()];
        Write(bytes);
        return bytes;
    }

    /// <summary>Writes the message, names uncompressed, and returns the number of bytes written.</summary>
    public int Write(Span<byte> destination)
    {
        int size = GetEncodedSize();
        if (size > MaxPacketSize)
        {
            throw new ArgumentException($"A DNS message of {size} bytes exceeds {MaxPacketSize}.");
        }

        if (destination.Length < size)
        {
            throw new ArgumentException($"A DNS message of {size} bytes does not fit in {destination.Length}.", nameof(destination));
        }

        BinaryPrimitives.WriteUInt16BigEndian(destination, Id);
        BinaryPrimitives.WriteUInt16BigEndian(destination[2..], Flags);
        BinaryPrimitives.WriteUInt16BigEndian(destination[4..], checked((ushort)Questions.Count));
        BinaryPrimitives.WriteUInt16BigEndian(destination[6..], checked((ushort)Answers.Count));
        BinaryPrimitives.WriteUInt16BigEndian(destination[8..], checked((ushort)Authorities.Count));
        BinaryPrimitives.WriteUInt16BigEndian(destination[10..], checked((ushort)Additionals.Count));
        int offset = HeaderSize;

        foreach (DnsQuestion question in Questions)
        {
            offset += WriteName(question.Name, destination[offset..]);
            BinaryPrimitives.WriteUInt16BigEndian(destination[offset..], (ushort)question.Type);
            BinaryPrimitives.WriteUInt16BigEndian(destination[(offset + 2)..], (ushort)(question.Class | (question.UnicastResponse ? 0x8000 : 0)));
            offset += 4;
        }

        offset += WriteRecords(Answers, destination[offset..]);
        offset += WriteRecords(Authorities, destination[offset..]);
        offset += WriteRecords(Additionals, destination[offset..]);
        return offset;
    }

    private static int GetRecordsSize(IReadOnlyList<DnsRecord> records)
    {
        int size = 0;
        foreach (DnsRecord record in records)
        {
            size += GetNameSize(record.Name) + 10 + GetDataSize(record);
        }

        return size;
    }

    private static int GetDataSize(DnsRecord record)
    {
        switch (record.Type)
        {
            case DnsRecordType.A:
            case DnsRecordType.Aaaa:
                RequireAddress(record);
                return record.Type == DnsRecordType.A ? 4 : 16;
            case DnsRecordType.Ptr:
                return GetNameSize(RequireTarget(record));
            case DnsRecordType.Srv:
                return 6 + GetNameSize(RequireTarget(record));
            case DnsRecordType.Txt:
                int size = 0;
                foreach (ReadOnlyMemory<byte> text in record.Text)
                {
                    if (text.Length > 255)
                    {
                        throw new ArgumentException($"A TXT string of {text.Length} bytes exceeds 255.");
                    }

                    size += 1 + text.Length;
                }

                return size;
            default:
                return record.RawData.Length;
        }
    }

    private static int WriteRecords(IReadOnlyList<DnsRecord> records, Span<byte> destination)
    {
        int offset = 0;
        foreach (DnsRecord record in records)
        {
            offset += WriteName(record.Name, destination[offset..]);
            BinaryPrimitives.WriteUInt16BigEndian(destination[offset..], (ushort)record.Type);
            BinaryPrimitives.WriteUInt16BigEndian(destination[(offset + 2)..], (ushort)(record.Class | (record.CacheFlush ? 0x8000 : 0)));
            BinaryPrimitives.WriteUInt32BigEndian(destination[(offset + 4)..], record.Ttl);
            int dataLength = GetDataSize(record);
            BinaryPrimitives.WriteUInt16BigEndian(destination[(offset + 8)..], checked((ushort)dataLength));
            offset += 10;
            Span<byte> data = destination.Slice(offset, dataLength);
            switch (record.Type)
            {
                case DnsRecordType.A:
                case DnsRecordType.Aaaa:
                    record.Address!.TryWriteBytes(data, out _);
                    break;
                case DnsRecordType.Ptr:
                    WriteName(record.Target!, data);
                    break;
                case DnsRecordType.Srv:
                    BinaryPrimitives.WriteUInt16BigEndian(data, record.Priority);
                    BinaryPrimitives.WriteUInt16BigEndian(data[2..], record.Weight);
                    BinaryPrimitives.WriteUInt16BigEndian(data[4..], record.Port);
                    WriteName(record.Target!, data[6..]);
                    break;
                case DnsRecordType.Txt:
                    int position = 0;
                    foreach (ReadOnlyMemory<byte> text in record.Text)
                    {
                        data[position] = (byte)text.Length;
                        text.Span.CopyTo(data[(position + 1)..]);
                        position += 1 + text.Length;
                    }

                    break;
                default:
                    record.RawData.Span.CopyTo(data);
                    break;
            }

            offset += dataLength;
        }

        return offset;
    }

    // A name of labels "a.b.c" takes 1 + len(a) + 1 + len(b) + 1 + len(c) + 1 bytes; the root name "" takes 1.
    private static int GetNameSize(string name)
    {
        if (name.Length == 0 || name == ".")
        {
            return 1;
        }

        int size = 1;
        foreach (Range range in name.AsSpan().TrimEnd('.').Split('.'))
        {
            int length = Encoding.UTF8.GetByteCount(name.AsSpan()[range]);
            if (length is 0 or > MaxLabelLength)
            {
                throw new ArgumentException($"The DNS name '{name}' has a label of {length} bytes.", nameof(name));
            }

            size += 1 + length;
        }

        if (size > MaxNameLength)
        {
            throw new ArgumentException($"The DNS name '{name}' is longer than {MaxNameLength} bytes.", nameof(name));
        }

        return size;
    }

    private static int WriteName(string name, Span<byte> destination)
    {
        int offset = 0;
        if (name.Length > 0 && name != ".")
        {
            foreach (Range range in name.AsSpan().TrimEnd('.').Split('.'))
            {
                int length = Encoding.UTF8.GetBytes(name.AsSpan()[range], destination[(offset + 1)..]);
                destination[offset] = (byte)length;
                offset += 1 + length;
            }
        }

        destination[offset] = 0;
        return offset + 1;
    }

    private static void RequireAddress(DnsRecord record)
    {
        AddressFamily expected = record.Type == DnsRecordType.A ? AddressFamily.InterNetwork : AddressFamily.InterNetworkV6;
        if (record.Address is null || record.Address.AddressFamily != expected)
        {
            throw new ArgumentException($"The {record.Type} record for '{record.Name}' needs an {expected} address.");
        }
    }

    private static string RequireTarget(DnsRecord record) =>
        record.Target ?? throw new ArgumentException($"The {record.Type} record for '{record.Name}' has no target name.");
}
