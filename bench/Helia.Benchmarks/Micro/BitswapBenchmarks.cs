using System.Buffers;
using BenchmarkDotNet.Attributes;
using Helia.Bitswap.Messages;
using Helia.Multiformats;

namespace Helia.Benchmarks.Micro;

/// <summary>
/// Bitswap 1.2.0 messages: a reply of 8 blocks of 256 KiB (2 MiB; decoding hashes every block to rebuild its CID, so
/// its limit is SHA-256) and a wantlist of 256 entries.
/// </summary>
[MemoryDiagnoser]
public class BitswapBenchmarks
{
    private const int BlockSize = 256 * 1024;
    private const int Blocks = 8;
    private const int Wants = 256;

    private readonly ArrayBufferWriter<byte> _writer = new(Blocks * BlockSize + 4096);
    private BitswapMessage _blocks = null!;
    private BitswapMessage _wantlist = null!;
    private ReadOnlySequence<byte> _blocksBody;
    private ReadOnlySequence<byte> _wantlistBody;

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(3);
        _blocks = new BitswapMessage();
        for (int i = 0; i < Blocks; i++)
        {
            byte[] data = new byte[BlockSize];
            random.NextBytes(data);
            _blocks.Blocks.Add(new BitswapBlock(Cid.Compute(Multicodec.Raw, data), data));
        }

        _wantlist = new BitswapMessage();
        for (int i = 0; i < Wants; i++)
        {
            _wantlist.Wantlist.Add(new WantlistEntry(Cid.Compute(Multicodec.Raw, BitConverter.GetBytes(i)), WantType: WantType.Have, SendDontHave: true));
        }

        _blocksBody = Body(_blocks);
        _wantlistBody = Body(_wantlist);
    }

    [Benchmark(Description = "bitswap encode, 8 blocks of 256 KiB")]
    [Throughput(Blocks * BlockSize)]
    public int EncodeBlocks() => Encode(_blocks);

    [Benchmark(Description = "bitswap decode + verify, 8 blocks of 256 KiB")]
    [Throughput(Blocks * BlockSize, LimitReference.Sha256)]
    public BitswapMessage DecodeBlocks() => BitswapMessageCodec.Decode(_blocksBody);

    [Benchmark(Description = "bitswap encode, wantlist of 256 CIDs")]
    public int EncodeWantlist() => Encode(_wantlist);

    [Benchmark(Description = "bitswap decode, wantlist of 256 CIDs")]
    public BitswapMessage DecodeWantlist() => BitswapMessageCodec.Decode(_wantlistBody);

    private int Encode(BitswapMessage message)
    {
        _writer.ResetWrittenCount();
        BitswapMessageCodec.Write(message, BitswapProtocolVersion.V120, _writer);
        return _writer.WrittenCount;
    }

    // The message without its length prefix, as the reader hands it to Decode.
    private ReadOnlySequence<byte> Body(BitswapMessage message)
    {
        Encode(message);
        byte[] frame = _writer.WrittenSpan.ToArray();
        Varint.Read(frame, out int prefix);
        return new ReadOnlySequence<byte>(frame, prefix, frame.Length - prefix);
    }
}
