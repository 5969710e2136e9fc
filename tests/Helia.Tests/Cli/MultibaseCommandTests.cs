using System.Text;

namespace Helia.Tests.Cli;

public class MultibaseCommandTests
{
    [Theory]
    [InlineData("base64", "maGVsbG8")]
    [InlineData("base32", "bnbswy3dp")]
    [InlineData("base16upper", "F68656C6C6F")]
    [InlineData("base58btc", "zCn8eVZg")]
    public async Task Encode_Stdin_WritesStringWithoutNewline(string encoding, string expected)
    {
        (int exitCode, _, _, byte[] stdout) = await CliRunner.RunWithStdinAsync("hello"u8.ToArray(), "multibase", "encode", "-b", encoding);

        Assert.Equal(0, exitCode);
        Assert.Equal(expected, Encoding.ASCII.GetString(stdout));
    }

    [Fact]
    public async Task Encode_DefaultIsBase64Url_AsKubo()
    {
        (int exitCode, _, _, byte[] stdout) = await CliRunner.RunWithStdinAsync("hello"u8.ToArray(), "multibase", "encode");

        Assert.Equal(0, exitCode);
        Assert.Equal("uaGVsbG8", Encoding.ASCII.GetString(stdout));
    }

    [Fact]
    public async Task Encode_Identity_IsNulThenTheBytes()
    {
        byte[] data = [0x68, 0x00, 0xff];
        (int exitCode, _, _, byte[] stdout) = await CliRunner.RunWithStdinAsync(data, "multibase", "encode", "-b", "identity");

        Assert.Equal(0, exitCode);
        Assert.Equal([0x00, 0x68, 0x00, 0xff], stdout);
    }

    [Theory]
    [InlineData("base2", "00110100001100101011011000110110001101111")]
    [InlineData("base8", "732062554330674")]
    [InlineData("base10", "9448378203247")]
    [InlineData("base32z", "hpb1sa5dx")]
    [InlineData("base256emoji", "\U0001F680\U0001F634\u270B\U0001F340\U0001F340\U0001F613")]
    [InlineData("\U0001F680", "\U0001F680\U0001F634\u270B\U0001F340\U0001F340\U0001F613")]
    public async Task Encode_KubosExtraBases_AndDecodeBack(string encoding, string expected)
    {
        (int exitCode, _, string error, byte[] stdout) = await CliRunner.RunWithStdinAsync("hello"u8.ToArray(), "multibase", "encode", "-b", encoding);
        (int decodeExit, _, _, byte[] decoded) = await CliRunner.RunWithStdinAsync(stdout, "multibase", "decode");

        Assert.True(exitCode == 0, error);
        Assert.Equal(expected, Encoding.UTF8.GetString(stdout));
        Assert.Equal(0, decodeExit);
        Assert.Equal("hello"u8.ToArray(), decoded);
    }

    [Theory]
    [InlineData("f68656c6c6f\n", new[] { "-b", "base32" }, "bnbswy3dp")]
    [InlineData("bnbswy3dp", new string[0], "uaGVsbG8")]
    [InlineData("uaGVsbG8", new[] { "-b", "base256emoji" }, "\U0001F680\U0001F634\u270B\U0001F340\U0001F340\U0001F613")]
    public async Task Transcode_ReencodesInTheGivenBase(string input, string[] flags, string expected)
    {
        (int exitCode, _, string error, byte[] stdout) = await CliRunner.RunWithStdinAsync(Encoding.UTF8.GetBytes(input), ["multibase", "transcode", .. flags]);

        Assert.True(exitCode == 0, error);
        Assert.Equal(expected, Encoding.UTF8.GetString(stdout));
    }

    [Fact]
    public async Task Transcode_BadInput_Error()
    {
        (int exitCode, _, string error, byte[] stdout) = await CliRunner.RunWithStdinAsync("hxyzl"u8.ToArray(), "multibase", "transcode");

        Assert.Equal(1, exitCode);
        Assert.Empty(stdout);
        Assert.StartsWith("Error: ", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task List_PrefixAndNumeric_IsKubosTable()
    {
        (int exitCode, string output, _) = await CliRunner.RunAsync("multibase", "list", "--prefix", "--numeric");

        Assert.Equal(0, exitCode);
        string[] expected =
        [
            "        0  identity", "0      48  base2", "7      55  base8", "9      57  base10",
            "b      98  base32", "B      66  base32upper", "c      99  base32pad", "C      67  base32padupper",
            "f     102  base16", "F      70  base16upper", "h     104  base32z", "k     107  base36", "K      75  base36upper",
            "m     109  base64", "M      77  base64pad", "t     116  base32hexpad", "T      84  base32hexpadupper",
            "u     117  base64url", "U      85  base64urlpad", "v     118  base32hex", "V      86  base32hexupper",
            "z     122  base58btc", "Z      90  base58flickr", "\U0001F680  128640  base256emoji",
        ];
        Assert.Equal(expected, output.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public async Task Decode_Stdin_WritesTheBytes()
    {
        (int exitCode, _, _, byte[] stdout) = await CliRunner.RunWithStdinAsync("maGVsbG8\n"u8.ToArray(), "multibase", "decode");

        Assert.Equal(0, exitCode);
        Assert.Equal("hello"u8.ToArray(), stdout);
    }

    [Fact]
    public async Task EncodeThenDecode_File_RoundTrips()
    {
        string path = Path.Combine(Path.GetTempPath(), $"helia-mb-{Guid.NewGuid():N}");
        byte[] data = new byte[1000];
        new Random(3).NextBytes(data);
        await File.WriteAllBytesAsync(path, data, TestContext.Current.CancellationToken);
        try
        {
            (_, _, _, byte[] encoded) = await CliRunner.RunWithStdinAsync([], "multibase", "encode", "-b", "base64url", path);
            (int exitCode, _, _, byte[] decoded) = await CliRunner.RunWithStdinAsync(encoded, "multibase", "decode");
            Assert.Equal(0, exitCode);
            Assert.Equal(data, decoded);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Theory]
    [InlineData("!nope", "prefix")]
    [InlineData("b0189", "base32")]
    public async Task Decode_BadInput_PrintsErrorAndExits1(string input, string messagePart)
    {
        (int exitCode, _, string error, byte[] stdout) = await CliRunner.RunWithStdinAsync(Encoding.UTF8.GetBytes(input), "multibase", "decode");

        Assert.Equal(1, exitCode);
        Assert.Empty(stdout);
        Assert.StartsWith("Error: ", error, StringComparison.Ordinal);
        Assert.Contains(messagePart, error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Encode_UnknownBase_Fails()
    {
        (int exitCode, _, string error, _) = await CliRunner.RunWithStdinAsync([1], "multibase", "encode", "-b", "base3");

        Assert.Equal(1, exitCode);
        Assert.Contains("unknown multibase", error, StringComparison.Ordinal);
    }
}
