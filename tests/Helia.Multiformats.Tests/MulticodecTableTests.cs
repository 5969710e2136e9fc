using System.Globalization;

namespace Helia.Multiformats.Tests;

public class MulticodecTableTests
{
    public static TheoryData<string, string, ulong> TableRows()
    {
        var data = new TheoryData<string, string, ulong>();
        foreach (string line in File.ReadLines(SpecVectors.PathOf(Path.Combine("multicodec", "table.csv"))).Skip(1))
        {
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            string[] fields = line.Split(',');
            data.Add(fields[0].Trim(), fields[1].Trim(), ulong.Parse(fields[2].Trim().AsSpan(2), NumberStyles.HexNumber, CultureInfo.InvariantCulture));
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(TableRows))]
    public void Lookups_EveryTableRow_MapNameAndCodeBothWays(string name, string tag, ulong code)
    {
        Assert.True(MulticodecTable.TryParse(name, out Multicodec parsed), name);
        Assert.Equal(code, (ulong)parsed);
        Assert.True(MulticodecTable.TryGetName(code, out string? found));
        Assert.Equal(name, found);
        Assert.True(MulticodecTable.TryGet(code, out MulticodecInfo info));
        Assert.Equal(tag, info.Tag);
        Assert.True(Enum.IsDefined((Multicodec)code));
    }

    [Fact]
    public void All_HasEveryTableRowAndNoMore()
    {
        Assert.Equal(TableRows().Count, MulticodecTable.All.Count);
        Assert.Equal(MulticodecTable.All.Count, Enum.GetValues<Multicodec>().Length);
    }

    [Theory]
    [InlineData(Multicodec.Sha2_256, "sha2-256")]
    [InlineData(Multicodec.DagPb, "dag-pb")]
    [InlineData(Multicodec.Raw, "raw")]
    [InlineData(Multicodec.Libp2pKey, "libp2p-key")]
    [InlineData(Multicodec.Keccak256, "keccak-256")]
    [InlineData(Multicodec.Blake2b256, "blake2b-256")]
    [InlineData(Multicodec.Murmur3X64_64, "murmur3-x64-64")]
    [InlineData(Multicodec.Bls12_381G1Pub, "bls12_381-g1-pub")]
    [InlineData(Multicodec.Cidv1, "cidv1")]
    public void MemberName_FollowsNamingRule(Multicodec code, string name)
    {
        Assert.Equal(name, MulticodecTable.NameOf(code));
        Assert.Equal(code, MulticodecTable.Parse(name));
    }

    [Theory]
    [InlineData("")]
    [InlineData("DAG-PB")]      // names are exact, lower case
    [InlineData("sha2_256")]
    [InlineData("no-such-codec")]
    public void Parse_UnknownName_Throws(string name)
    {
        Assert.False(MulticodecTable.TryParse(name, out _));
        Assert.Throws<MultiformatsException>(() => MulticodecTable.Parse(name));
    }

    [Fact]
    public void NameOf_UnknownCode_IsHex()
    {
        Assert.False(MulticodecTable.TryGetName(0x7ffffffffffffffeUL, out _));
        Assert.Equal("0x7ffffffffffffffe", MulticodecTable.NameOf(0x7ffffffffffffffeUL));
    }
}
