using BenchmarkDotNet.Attributes;
using Helia.Core.Ipld.DagPb;
using Helia.Multiformats;

namespace Helia.Benchmarks.Micro;

/// <summary>A UnixFS file node of the unixfs-v0-2015 profile (Kubo's default): 174 links to 256 KiB chunks and a small Data field.</summary>
[MemoryDiagnoser]
public class DagPbBenchmarks
{
    private const int Links = 174;
    private PBNode _node = null!;
    private byte[] _encoded = [];
    private byte[] _destination = [];

    [GlobalSetup]
    public void Setup()
    {
        var links = new List<PBLink>(Links);
        for (int i = 0; i < Links; i++)
        {
            links.Add(new PBLink(Cid.Compute(Multicodec.Raw, BitConverter.GetBytes(i)), "", 262144));
        }

        _node = new PBNode(links, new byte[] { 0x08, 0x02, 0x18, 0x80, 0x80, 0x80, 0x16 });
        _encoded = DagPbCodec.Encode(_node);
        _destination = new byte[_encoded.Length];
    }

    [Benchmark(Description = "dag-pb encode, 174 links, into an array")]
    public byte[] Encode() => DagPbCodec.Encode(_node);

    [Benchmark(Description = "dag-pb encode, 174 links, into a span")]
    public int EncodeToSpan() => DagPbCodec.Encode(_node, _destination);

    [Benchmark(Description = "dag-pb decode, 174 links")]
    public PBNode Decode() => DagPbCodec.Decode(_encoded);
}
