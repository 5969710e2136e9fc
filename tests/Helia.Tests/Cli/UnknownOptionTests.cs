namespace Helia.Tests.Cli;

/// <summary>An option no command knows is an error, as Kubo's parser makes it, even where a list argument could take it.</summary>
public sealed class UnknownOptionTests
{
    private const string HelloCid = "bafkreiffsgtnic7uebaeuaixgph3pmmq2ywglpylzwrswv5so7m23hyuny";

    [Theory]
    [InlineData("bogus", "cid", "base32", "--bogus", HelloCid)]
    [InlineData("bogus", "cid", "format", HelloCid, "--bogus")]
    [InlineData("x", "cat", "-x", "some-cid")]
    [InlineData("bogus", "version", "--bogus")]
    [InlineData("no-such", "add", "--no-such=1", "file.txt")]
    [InlineData("z", "pin", "add", "-z", HelloCid)]
    public async Task UnknownOption_KuboMessage_ExitOne(string name, params string[] args)
    {
        (int exit, string output, string error) = await CliRunner.RunAsync(args);

        Assert.Equal(1, exit);
        Assert.Equal($"Error: unknown option \"{name}\"{Environment.NewLine}", error);
        Assert.Empty(output);
    }

    [Fact]
    public async Task AfterDoubleDash_DashedTokenIsAnArgument()
    {
        (int exit, string output, string error) = await CliRunner.RunAsync("cid", "base32", "--", "-notanoption");

        Assert.Equal(1, exit);   // not a CID, but read as one
        Assert.DoesNotContain("unknown option", error, StringComparison.Ordinal);
        Assert.Contains("-notanoption", error + output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task KnownOptions_StillParse()
    {
        (int exit, string output, string error) = await CliRunner.RunAsync("cid", "format", "-b", "base58btc", "-v", "1", HelloCid);

        Assert.True(exit == 0, error);
        Assert.StartsWith("z", output, StringComparison.Ordinal);
    }
}
