namespace LlmBench.Cli.Tests;

[Collection(ConsoleCapture.Name)]
public class MonitorCommandTests
{
    [Fact]
    public async Task WithoutNvml_MonitorPrintsOneSentence_AndFails()
    {
        Assert.SkipWhen(ConsoleCapture.NvmlPresent, "libnvidia-ml.so.1 is installed here");
        var csv = Path.Combine(Path.GetTempPath(), $"llmbench-monitor-{Guid.NewGuid():N}.csv");
        var (exit, _, error) = await ConsoleCapture.RunAsync("monitor", "--duration", "1", "--csv", csv);
        Assert.Equal(1, exit);
        var line = Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("error: no NVIDIA driver or GPU found: NVML, the driver's management library (libnvidia-ml.so.1) could not be loaded", line, StringComparison.Ordinal);
        Assert.False(File.Exists(csv)); // nothing half-written
    }

    [Theory]
    [InlineData("--interval", "0", "--interval must be a positive number of seconds.")]
    [InlineData("--gpus", "a", "--gpus: 'a' is not a GPU index.")]
    public async Task BadOptions_AreNamed(string option, string value, string message)
    {
        var (exit, _, error) = await ConsoleCapture.RunAsync("monitor", option, value);
        Assert.Equal(1, exit);
        Assert.Equal($"error: {message}", error.Trim());
    }
}
