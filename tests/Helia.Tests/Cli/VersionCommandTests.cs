namespace Helia.Tests.Cli;

public class VersionCommandTests
{
    [Fact]
    public async Task Version_PrintsKuboStyleLine()
    {
        (int exitCode, string output, _) = await CliRunner.RunAsync("version");

        Assert.Equal(0, exitCode);
        Assert.Matches(@"^helia version \d+\.\d+\.\d+", output);
    }

    [Fact]
    public async Task Version_Number_PrintsOnlyTheNumber()
    {
        (int exitCode, string output, _) = await CliRunner.RunAsync("version", "--number");

        Assert.Equal(0, exitCode);
        Assert.Matches(@"^\d+\.\d+\.\d+\s*$", output);
    }

    [Fact]
    public async Task UnknownCommand_FailsWithMessage()
    {
        (int exitCode, _, string error) = await CliRunner.RunAsync("no-such-command");

        Assert.NotEqual(0, exitCode);
        Assert.Contains("no-such-command", error, StringComparison.Ordinal);
    }
}
