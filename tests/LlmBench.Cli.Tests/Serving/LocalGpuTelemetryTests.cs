namespace LlmBench.Cli.Tests.Serving;

/// <summary>`bench serve` samples GPU telemetry only for a server on this machine, and carries on without NVML.</summary>
public class LocalGpuTelemetryTests
{
    [Theory]
    [InlineData("http://127.0.0.1:8000/", true)]
    [InlineData("http://localhost:8000/", true)]
    [InlineData("http://[::1]:8000/", true)]
    [InlineData("http://0.0.0.0:8000/", true)]
    [InlineData("http://10.1.2.3:8000/", false)]
    [InlineData("https://api.example.com/", false)]
    public void Only_a_server_on_this_machine_is_local(string url, bool local) =>
        Assert.Equal(local, LocalGpuTelemetry.IsLocal(new Uri(url)));

    [Fact]
    public void A_remote_server_is_not_sampled_and_nothing_is_said()
    {
        using var log = new StringWriter();
        Assert.Null(LocalGpuTelemetry.TryStart(new Uri("http://10.1.2.3:8000/"), log));
        Assert.Equal("", log.ToString());
    }

    [Fact]
    public void A_local_server_is_sampled_where_nvml_is_and_gets_a_note_where_it_is_not()
    {
        using var log = new StringWriter();
        using var telemetry = LocalGpuTelemetry.TryStart(new Uri("http://127.0.0.1:8000/"), log);
        if (telemetry is null)
        {
            Assert.StartsWith("note: no GPU telemetry for this run: ", log.ToString(), StringComparison.Ordinal);
            Assert.Single(log.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries));
            return;
        }

        Thread.Sleep(250);
        telemetry.Stop();
        var summary = telemetry.Summary();
        var health = LlmBench.Benchmarks.Health.GpuHealthBuilder.ForAll(telemetry);
        Assert.NotEmpty(summary.Gpus);
        Assert.All(summary.Gpus, g => Assert.True(g.SampleCount >= 2, $"GPU {g.GpuIndex}: {g.SampleCount} samples"));
        Assert.Equal(summary.Gpus.Select(g => (g.GpuIndex, g.SampleCount)), health.Select(h => (h.GpuIndex, h.Samples)));
        Assert.All(health, h => Assert.StartsWith("GPU-", h.Uuid, StringComparison.Ordinal));
    }
}
