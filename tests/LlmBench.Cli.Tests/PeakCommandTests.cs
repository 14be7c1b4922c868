namespace LlmBench.Cli.Tests;

[Collection(ConsoleCapture.Name)]
public class PeakCommandTests
{
    [Fact]
    public async Task WithoutADriver_PeakPrintsOneSentence_AndFails()
    {
        Assert.SkipWhen(ConsoleCapture.DriverPresent, "an NVIDIA driver is installed here");
        var (exit, _, error) = await ConsoleCapture.RunAsync("peak", "--json");
        Assert.Equal(1, exit);
        Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("libcuda.so.1", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--sizes", "12x", "--sizes: '12x' is not a size")]
    [InlineData("--dtypes", "int4", "Unknown data type 'int4'")]
    [InlineData("--layout", "xy", "--layout: 'xy' is not tn or nn.")]
    [InlineData("--autotune", "0", "--autotune takes 1 to 32.")]
    public async Task BadOptions_AreNamedBeforeAnyGpuWork(string option, string value, string message)
    {
        var (exit, _, error) = await ConsoleCapture.RunAsync("peak", option, value);
        Assert.Equal(1, exit);
        Assert.StartsWith($"error: {message}", error, StringComparison.Ordinal);
    }
}
