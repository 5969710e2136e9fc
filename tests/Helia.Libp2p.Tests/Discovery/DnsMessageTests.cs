using System.Buffers.Binary;
using System.Net;
using System.Text;
using CsCheck;
using Helia.Libp2p.Discovery.Mdns;

namespace Helia.Libp2p.Tests.Discovery;

public class DnsMessageTests
{
    // js-libp2p @libp2p/mdns 12.0.32's query, as multicast-dns 7.2.5 / dns-packet 5.6.1 encode it.
    private const string JsQueryHex = "000000000001000000000000045f703270045f756470056c6f63616c00000c0001";

    // Its answer to that query: PTR to "abc._p2p._udp.local" and one TXT dnsaddr record, both in the answers.
    private const string JsResponseHex =
        "000084000000000200000000045f703270045f756470056c6f63616c00000c000100000078001503616263045f703270045f756470056c6f63616c00"
        + "03616263045f703270045f756470056c6f63616c000010000100000078005958646e73616464723d2f6970342f3132372e302e302e312f7463702f"
        + "343030312f7032702f313244334b6f6f57443365636b69665770526e397751704d4739523968583373443135387a37457148576d776551414a55355341";

    private const string JsDnsaddr = "dnsaddr=/ip4/127.0.0.1/tcp/4001/p2p/12D3KooWD3eckifWpRn9wQpMG9R9hX3sD158z7EqHWmweQAJU5SA";

    [Fact]
    public void Read_JsQuery_HasOnePtrQuestion()
    {
        DnsMessage message = DnsMessage.Read(Convert.FromHexString(JsQueryHex));

        Assert.False(message.IsResponse);
        DnsQuestion question = Assert.Single(message.Questions);
        Assert.Equal("_p2p._udp.local", question.Name);
        Assert.Equal(DnsRecordType.Ptr, question.Type);
        Assert.Equal(DnsRecord.ClassInternet, question.Class);
        Assert.False(question.UnicastResponse);
        Assert.Empty(message.Answers);
    }

    [Fact]
    public void Read_JsResponse_HasPtrAndTxt()
    {
        DnsMessage message = DnsMessage.Read(Convert.FromHexString(JsResponseHex));

        Assert.True(message.IsResponse);
        Assert.Equal(2, message.Answers.Count);
        DnsRecord ptr = message.Answers[0];
        Assert.Equal(DnsRecordType.Ptr, ptr.Type);
        Assert.Equal("_p2p._udp.local", ptr.Name);
        Assert.Equal("abc._p2p._udp.local", ptr.Target);
        Assert.Equal(120u, ptr.Ttl);
        DnsRecord txt = message.Answers[1];
        Assert.Equal(DnsRecordType.Txt, txt.Type);
        Assert.Equal(JsDnsaddr, Encoding.UTF8.GetString(Assert.Single(txt.Text).Span));
    }

    [Fact]
    public void Write_SameRecordsAsJs_SameBytes()
    {
        var message = new DnsMessage
        {
            Flags = DnsMessage.FlagResponse | DnsMessage.FlagAuthoritative,
            Answers =
            [
                DnsRecord.Ptr("_p2p._udp.local", "abc._p2p._udp.local", 120),
                DnsRecord.Txt("abc._p2p._udp.local", JsDnsaddr, 120),
            ],
        };

        Assert.Equal(JsResponseHex, Convert.ToHexStringLower(message.ToArray()));
        Assert.Equal(
            JsQueryHex,
            Convert.ToHexStringLower(new DnsMessage { Questions = [new DnsQuestion("_p2p._udp.local", DnsRecordType.Ptr)] }.ToArray()));
    }

    [Fact]
    public void WriteThenRead_AllRecordTypes_RoundTrip()
    {
        var message = new DnsMessage
        {
            Id = 7,
            Flags = DnsMessage.FlagResponse,
            Questions = [new DnsQuestion("peer._p2p._udp.local", DnsRecordType.Any, UnicastResponse: true)],
            Answers = [DnsRecord.Ptr("_p2p._udp.local", "peer._p2p._udp.local", 120)],
            Authorities = [new DnsRecord { Name = "x.local", Type = (DnsRecordType)99, RawData = new byte[] { 1, 2, 3 } }],
            Additionals =
            [
                DnsRecord.Txt("peer._p2p._udp.local", [Encoding.UTF8.GetBytes("a=1"), Array.Empty<byte>(), new byte[255]], 120) with { CacheFlush = true },
                DnsRecord.Srv("peer._p2p._udp.local", "peer.p2p.local", 4001, 120, priority: 1, weight: 2),
                DnsRecord.ForAddress("peer.p2p.local", IPAddress.Parse("192.168.1.2"), 120),
                DnsRecord.ForAddress("peer.p2p.local", IPAddress.Parse("fe80::1"), 120),
            ],
        };

        byte[] bytes = message.ToArray();
        Assert.Equal(bytes.Length, message.GetEncodedSize());
        DnsMessage read = DnsMessage.Read(bytes);

        Assert.Equal(7, read.Id);
        Assert.Equal(message.Questions, read.Questions);
        Assert.Equal("peer._p2p._udp.local", read.Answers[0].Target);
        Assert.Equal(new byte[] { 1, 2, 3 }, read.Authorities[0].RawData.ToArray());
        DnsRecord txt = read.Additionals[0];
        Assert.True(txt.CacheFlush);
        Assert.Equal(3, txt.Text.Count);
        Assert.Equal("a=1", Encoding.UTF8.GetString(txt.Text[0].Span));
        Assert.Equal(0, txt.Text[1].Length);
        Assert.Equal(255, txt.Text[2].Length);
        DnsRecord srv = read.Additionals[1];
        Assert.Equal(("peer.p2p.local", (ushort)4001, (ushort)1, (ushort)2), (srv.Target, srv.Port, srv.Priority, srv.Weight));
        Assert.Equal(IPAddress.Parse("192.168.1.2"), read.Additionals[2].Address);
        Assert.Equal(IPAddress.Parse("fe80::1"), read.Additionals[3].Address);
    }

    [Fact]
    public void Read_CompressedNames_Expands()
    {
        // Answer: "_p2p._udp.local" PTR "abc" + pointer to offset 12 (where the question's name starts).
        byte[] packet = Convert.FromHexString(
            "000084000001000100000000"
            + "045f703270045f756470056c6f63616c00" + "000c0001"                  // question at offset 12
            + "c00c" + "000c0001" + "00000078" + "0006" + "03616263c00c");       // answer: name = pointer, data = "abc" + pointer

        DnsMessage message = DnsMessage.Read(packet);

        DnsRecord ptr = Assert.Single(message.Answers);
        Assert.Equal("_p2p._udp.local", ptr.Name);
        Assert.Equal("abc._p2p._udp.local", ptr.Target);
    }

    [Theory]
    [InlineData("0000000000010000000000", "shorter than")]                                   // 11-byte header
    [InlineData("000000000001000000000000045f703270", "truncated")]                            // name cut off
    [InlineData("000000000001000000000000c00c000c0001", "backwards")]                          // pointer to itself
    [InlineData("000000000001000000000000015fc00c000c0001", "backwards")]                      // pointer forwards into a loop
    [InlineData("0000000000010000000000000141000000", "truncated")]                             // question without type/class
    [InlineData("000000000001000000000000800000000000", "label type")]                        // reserved label type 0b10
    [InlineData("0000840000000001000000000000010001000000780005c0a8010203", "5 bytes")]         // A record of 5 bytes
    [InlineData("000084000000000100000000000010000100000078000205ff", "TXT string")]            // TXT length past its data
    [InlineData("000084000000000100000000000010000100000078ffff", "truncated")]                 // rdlength past the packet
    [InlineData("00008400000000100000000000", "can hold")]                                     // count larger than the packet
    public void Read_Malformed_ThrowsDnsFormatException(string hex, string reason)
    {
        DnsFormatException error = Assert.Throws<DnsFormatException>(() => DnsMessage.Read(Convert.FromHexString(hex)));
        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_PointerLoopBetweenTwoNames_Throws()
    {
        // Name A at 12 is label "a" then a pointer to 17; name at 17 is label "b" then a pointer back to 12: a loop.
        byte[] packet = Convert.FromHexString("000000000002000000000000" + "0161c011" + "0000" + "0162c00c" + "000c0001");
        Assert.Throws<DnsFormatException>(() => DnsMessage.Read(packet));
    }

    [Fact]
    public void Read_NameOver255Bytes_Throws()
    {
        var packet = new List<byte>(Convert.FromHexString("000000000001000000000000"));
        for (int i = 0; i < 5; i++)
        {
            packet.Add(63);
            packet.AddRange(Enumerable.Repeat((byte)'a', 63));
        }

        packet.AddRange(Convert.FromHexString("00000c0001"));
        DnsFormatException error = Assert.Throws<DnsFormatException>(() => DnsMessage.Read(packet.ToArray()));
        Assert.Contains("longer than 255", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_OversizedPacket_Throws()
    {
        var packet = new byte[DnsMessage.MaxPacketSize + 1];
        DnsFormatException error = Assert.Throws<DnsFormatException>(() => DnsMessage.Read(packet));
        Assert.Contains("exceeds", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_TooManyEntries_ThrowsBeforeParsing()
    {
        var message = new DnsMessage { Answers = [.. Enumerable.Range(0, 20).Select(i => DnsRecord.Ptr("_p2p._udp.local", $"p{i}.local", 120))] };
        byte[] bytes = message.ToArray();

        Assert.Equal(20, DnsMessage.Read(bytes).Answers.Count);
        DnsFormatException error = Assert.Throws<DnsFormatException>(() => DnsMessage.Read(bytes, maxEntries: 10));
        Assert.Contains("limit of 10", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Write_BadNamesAndOversizedTxt_ThrowArgumentException()
    {
        Assert.Throws<ArgumentException>(() => new DnsMessage { Questions = [new DnsQuestion(new string('a', 64) + ".local", DnsRecordType.Ptr)] }.ToArray());
        Assert.Throws<ArgumentException>(() => new DnsMessage { Questions = [new DnsQuestion("a..local", DnsRecordType.Ptr)] }.ToArray());
        Assert.Throws<ArgumentException>(() => new DnsMessage { Answers = [DnsRecord.Txt("a.local", new string('x', 256), 120)] }.ToArray());
        Assert.Throws<ArgumentException>(() => new DnsMessage
        {
            Answers = [.. Enumerable.Range(0, 40).Select(i => DnsRecord.Txt("a.local", new string('x', 250), 120))],
        }.ToArray());
    }

    [Fact]
    public void Read_RandomBytes_ReturnsOrThrowsDnsFormatException()
    {
        Gen.Byte.Array[0, 600].Sample(bytes =>
        {
            try
            {
                DnsMessage.Read(bytes);
            }
            catch (DnsFormatException)
            {
            }
        });
    }

    [Fact]
    public void Read_MutatedValidPacket_ReturnsOrThrowsDnsFormatException()
    {
        byte[] valid = Convert.FromHexString(JsResponseHex);
        Gen.Select(Gen.Int[0, valid.Length - 1], Gen.Byte, Gen.Int[1, valid.Length]).Sample((position, value, length) =>
        {
            byte[] mutated = valid[..length];
            if (position < mutated.Length)
            {
                mutated[position] = value;
            }

            try
            {
                DnsMessage message = DnsMessage.Read(mutated);
                Assert.True(BinaryPrimitives.ReadUInt16BigEndian(mutated.AsSpan(6)) == message.Answers.Count);
            }
            catch (DnsFormatException)
            {
            }
        });
    }
}
