namespace Helia.Tests.Cli;

public class CidCommandTests
{
    // The empty UnixFS file; its v1 form and the raw "Hello World" CID's other forms come from JS multiformats.
    private const string EmptyFileV0 = "QmbFMke1KXqnYyBBWxB74N4c5SBnJMVAiMNRcGu6x1AwQH";
    private const string EmptyFileV1 = "bafybeif7ztnhq65lumvvtr4ekcwd2ifwgm3awq4zfr3srh462rwyinlb4y";
    private const string HelloRaw = "bafkreiffsgtnic7uebaeuaixgph3pmmq2ywglpylzwrswv5so7m23hyuny";
    private const string HelloRawBase58 = "zb2rhhnbH6zTaAj948YVsYxW4c5AY6TfJURC9EGhQum3Kq7b3";
    private const string HelloRawBase36 = "k2cwuecrynugkmkr9fh48xgmhy6so0mgkzytt0a3h793n8pqhsir7tke";

    [Fact]
    public async Task Format_V1Base32_ConvertsV0()
    {
        (int exitCode, string output, string error) = await CliRunner.RunAsync("cid", "format", "-v", "1", "-b", "base32", EmptyFileV0);

        Assert.Equal(0, exitCode);
        Assert.Equal(EmptyFileV1 + Environment.NewLine, output);
        Assert.Empty(error);
    }

    [Fact]
    public async Task Format_V0_ConvertsBackAndKeepsInputBaseByDefault()
    {
        Assert.Equal(EmptyFileV0, (await CliRunner.RunAsync("cid", "format", "-v", "0", EmptyFileV1)).Output.Trim());
        Assert.Equal(HelloRawBase36, (await CliRunner.RunAsync("cid", "format", HelloRawBase36)).Output.Trim());
    }

    [Theory]
    [InlineData("%P", "cidv1-raw-sha2-256-32")]
    [InlineData("%b %B %v %V", "base32 b cidv1 1")]
    [InlineData("%c %C %h %H %L", "raw 85 sha2-256 18 32")]
    [InlineData("100%% %s", "100% " + HelloRaw)]
    [InlineData("%S", "afkreiffsgtnic7uebaeuaixgph3pmmq2ywglpylzwrswv5so7m23hyuny")]
    [InlineData("%D", "uwi2nval6qqeasqbc4z47n5rsdlcyzn7bpg2gk2xwj35tlm7crxa")]  // base32 of sha2-256("Hello World")
    public async Task Format_FormatString_MatchesKuboSpecifiers(string format, string expected)
    {
        (int exitCode, string output, _) = await CliRunner.RunAsync("cid", "format", "-f", format, HelloRaw);

        Assert.Equal(0, exitCode);
        Assert.Equal(expected, output.Trim());
    }

    [Fact]
    public async Task Format_Base_ImpliesV1AndUsesTheBase()
    {
        Assert.Equal(HelloRawBase58, (await CliRunner.RunAsync("cid", "format", "-b", "base58btc", HelloRaw)).Output.Trim());
        Assert.Equal(HelloRawBase36, (await CliRunner.RunAsync("cid", "format", "-b", "k", HelloRaw)).Output.Trim());
        Assert.Equal(EmptyFileV1, (await CliRunner.RunAsync("cid", "format", "-b", "base32", EmptyFileV0)).Output.Trim());
    }

    [Fact]
    public async Task Format_Codec_RewritesTheCodec()
    {
        (int exitCode, string output, _) = await CliRunner.RunAsync("cid", "format", "--mc", "dag-pb", "-f", "%P", HelloRaw);

        Assert.Equal(0, exitCode);
        Assert.Equal("cidv1-dag-pb-sha2-256-32", output.Trim());
        Assert.Equal("cidv1-raw-sha2-256-32", (await CliRunner.RunAsync("cid", "format", "--codec", "raw", "-f", "%P", EmptyFileV0)).Output.Trim());
    }

    [Fact]
    public async Task Format_BadCidAmongGood_PrintsTheOthersAndFails()
    {
        (int exitCode, string output, string error) = await CliRunner.RunAsync("cid", "format", "not-a-cid", HelloRaw);

        Assert.Equal(1, exitCode);
        Assert.Equal(HelloRaw, output.Trim());
        Assert.StartsWith("not-a-cid: ", error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("unrecognized specifier", "-f", "%x")]
    [InlineData("premature end", "-f", "abc%")]
    [InlineData("invalid format string", "-f", "plain")]
    [InlineData("invalid cid version", "-v", "2")]
    [InlineData("unknown multibase", "-b", "base99")]
    [InlineData("unknown multicodec", "--mc", "no-such-codec")]
    [InlineData("other than dag-pb", "-v", "0", "--mc", "raw")]
    [InlineData("implicit base58btc", "-v", "0", "-b", "base32")]
    public async Task Format_BadFlags_PrintErrorAndExit1(string messagePart, params string[] flags)
    {
        (int exitCode, string output, string error) = await CliRunner.RunAsync(["cid", "format", .. flags, HelloRaw]);

        Assert.Equal(1, exitCode);
        Assert.Empty(output);
        Assert.Contains(messagePart, error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Format_RawToV0_FailsForThatCid()
    {
        (int exitCode, _, string error) = await CliRunner.RunAsync("cid", "format", "-v", "0", HelloRaw);

        Assert.Equal(1, exitCode);
        Assert.Contains("can't convert non-dag-pb nodes to cidv0", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Format_CidsOnStdin_FormatsEachLine()
    {
        (int exitCode, string output, _, _) = await CliRunner.RunWithStdinAsync(
            System.Text.Encoding.UTF8.GetBytes($"{EmptyFileV0}\n\n{HelloRaw}\n"), "cid", "format", "-f", "%V");

        Assert.Equal(0, exitCode);
        Assert.Equal(["0", "1"], output.Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public async Task Base32_AnyCid_IsV1Base32()
    {
        (int exitCode, string output, _) = await CliRunner.RunAsync("cid", "base32", EmptyFileV0, HelloRawBase58);

        Assert.Equal(0, exitCode);
        Assert.Equal([EmptyFileV1, HelloRaw], output.Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public async Task Codecs_Numeric_ListsIpldCodecsByCode()
    {
        (int exitCode, string output, _) = await CliRunner.RunAsync("cid", "codecs", "-n");
        string[] lines = output.Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);

        Assert.Equal(0, exitCode);
        Assert.Contains("   85  raw", lines);
        Assert.Contains("  112  dag-pb", lines);
        Assert.Contains("  113  dag-cbor", lines);
        Assert.DoesNotContain(lines, l => l.EndsWith("sha2-256", StringComparison.Ordinal));   // a hash, not a codec
        int[] codes = [.. lines.Select(l => int.Parse(l.AsSpan(0, 5), System.Globalization.CultureInfo.InvariantCulture))];
        Assert.Equal(codes.Order(), codes);
    }

    [Fact]
    public async Task Codecs_Supported_ListsWhatWeDecode()
    {
        (int exitCode, string output, _) = await CliRunner.RunAsync("cid", "codecs", "--supported");

        Assert.Equal(0, exitCode);
        string[] lines = output.Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);
        Assert.Contains("raw", lines);
        Assert.Contains("dag-pb", lines);
        Assert.Contains("libp2p-key", lines);
        Assert.DoesNotContain("dag-jose", lines);
    }

    [Fact]
    public async Task Hashes_Numeric_ListsRegisteredHashers()
    {
        (int exitCode, string output, _) = await CliRunner.RunAsync("cid", "hashes", "-n");
        string[] lines = output.Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);

        Assert.Equal(0, exitCode);
        Assert.Equal("    0  identity", lines[0]);
        Assert.Contains("   18  sha2-256", lines);
        Assert.Contains("   30  blake3", lines);
        Assert.Contains("45632  blake2b-512", lines);
    }

    [Fact]
    public async Task Bases_Prefix_ListsInKuboOrder()
    {
        (int exitCode, string output, _) = await CliRunner.RunAsync("cid", "bases", "--prefix");
        string[] lines = output.Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);

        Assert.Equal(0, exitCode);
        Assert.Equal("   identity", lines[0]);
        Assert.Equal(["b  base32", "B  base32upper"], lines.Where(l => l.EndsWith("base32", StringComparison.Ordinal) || l.EndsWith("base32upper", StringComparison.Ordinal)));
    }
}
