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
    public async Task Encode_DefaultIdentity_IsNulThenTheBytes()
    {
        byte[] data = [0x68, 0x00, 0xff];
        (int exitCode, _, _, byte[] stdout) = await CliRunner.RunWithStdinAsync(data, "multibase", "encode");

        Assert.Equal(0, exitCode);
        Assert.Equal([0x00, 0x68, 0x00, 0xff], stdout);
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
