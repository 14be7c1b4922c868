namespace LlmBench.Cli.Tests;

[Collection(ConsoleCapture.Name)]
public class ProfileCommandTests
{
    [Fact]
    public async Task WithoutADriver_ProfileSaysItNeedsAGpu_InOneSentence()
    {
        Assert.SkipWhen(ConsoleCapture.DriverPresent, "an NVIDIA driver is installed here");
        var (exit, _, error) = await ConsoleCapture.RunAsync("profile", "--load-format", "dummy");
        Assert.Equal(1, exit);
        Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("error: profile needs an NVIDIA GPU and the CUDA engine", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OnTheCpu_ProfileRefusesBeforeLoadingAnything()
    {
        var (exit, _, error) = await ConsoleCapture.RunAsync("profile", "--device", "cpu");
        Assert.Equal(1, exit);
        Assert.StartsWith("error: profile times CUDA kernels", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--batch-size", "0", "--batch-size must be at least 1, got 0.")]
    [InlineData("--input-len", "0", "--input-len must be at least 1, got 0.")]
    [InlineData("--output-len", "2", "--output-len must be at least 4")]
    public async Task BadSizes_AreNamedBeforeAnyGpuWork(string option, string value, string message)
    {
        var (exit, _, error) = await ConsoleCapture.RunAsync("profile", option, value);
        Assert.Equal(1, exit);
        Assert.StartsWith($"error: {message}", error, StringComparison.Ordinal);
    }
}
