using BenchmarkDotNet.Attributes;
using Helia.Multiformats;

namespace Helia.Benchmarks.Micro;

/// <summary>Unsigned varints of mixed lengths (1 to 9 bytes), as in every length prefix, CID and multihash.</summary>
[MemoryDiagnoser]
public class VarintBenchmarks
{
    private const int Count = 1024;
    private readonly ulong[] _values = new ulong[Count];
    private readonly byte[] _encoded = new byte[Count * Varint.MaxLength];

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(1);
        int offset = 0;
        for (int i = 0; i < Count; i++)
        {
            _values[i] = (ulong)random.NextInt64() >> random.Next(0, 63);
            offset += Varint.Write(_values[i], _encoded.AsSpan(offset));
        }
    }

    [Benchmark(Description = "varint encode, mixed lengths", OperationsPerInvoke = Count)]
    public int Encode()
    {
        int offset = 0;
        foreach (ulong value in _values)
        {
            offset += Varint.Write(value, _encoded.AsSpan(offset));
        }

        return offset;
    }

    [Benchmark(Description = "varint decode, mixed lengths", OperationsPerInvoke = Count)]
    public ulong Decode()
    {
        ulong sum = 0;
        int offset = 0;
        for (int i = 0; i < Count; i++)
        {
            sum += Varint.Read(_encoded.AsSpan(offset), out int read);
            offset += read;
        }

        return sum;
    }
}

/// <summary>CIDs to and from text (base32 v1 and base58btc v0) and bytes.</summary>
[MemoryDiagnoser]
public class CidBenchmarks
{
    private const string V1 = "bafybeigdyrzt5sfp7udm7hu76uh7y26nf3efuylqabf3oclgtqy55fbzdi";
    private const string V0 = "QmY7Yh4UquoXHLPFo2XbhXkhBvFoPwmQUSa92pxnxjQuPU";
    private readonly Cid _cid = Cid.Parse(V1);
    private readonly byte[] _bytes = Cid.Parse(V1).ToArray();

    [Benchmark(Description = "CID parse, v1 base32")]
    public Cid ParseV1() => Cid.Parse(V1);

    [Benchmark(Description = "CID parse, v0 base58btc")]
    public Cid ParseV0() => Cid.Parse(V0);

    [Benchmark(Description = "CID format, v1 base32")]
    public string FormatV1() => _cid.ToString();

    [Benchmark(Description = "CID read from bytes, v1")]
    public Cid ReadBinary() => Cid.FromBytes(_bytes);
}

/// <summary>The multihash of one default-size chunk, next to openssl's rate on one core.</summary>
[MemoryDiagnoser]
public class MultihashBenchmarks
{
    private const int Size = 256 * 1024;
    private readonly byte[] _chunk = new byte[Size];

    [GlobalSetup]
    public void Setup() => new Random(2).NextBytes(_chunk);

    [Benchmark(Description = "multihash sha2-256 of 256 KiB")]
    [Throughput(Size, LimitReference.Sha256)]
    public Multihash Sha256() => Multihash.Compute(Multicodec.Sha2_256, _chunk);
}

/// <summary>The end-to-end import's input generator: it must not be what bounds the import figures.</summary>
[MemoryDiagnoser]
public class InputBenchmarks
{
    private const int Size = 1024 * 1024;
    private readonly byte[] _buffer = new byte[Size];

    [Benchmark(Description = "xorshift32 input generator, 1 MiB reads")]
    [Throughput(Size)]
    public int Generate()
    {
        using var stream = new XorShift32(1, Size);
        return stream.Read(_buffer);
    }
}
