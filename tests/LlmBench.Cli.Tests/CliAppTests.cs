namespace LlmBench.Cli.Tests;

public class CliAppTests
{
    [Fact]
    public void VersionText_CarriesTheVersionNumber()
    {
        Assert.StartsWith("0.1.0", CliApp.VersionText, StringComparison.Ordinal);
    }
}
