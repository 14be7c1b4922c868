using LlmBench.Gpu;
using LlmBench.Gpu.Interop.Loading;

namespace LlmBench.Telemetry.Tests;

/// <summary>NVML on a real GPU (skipped where libnvidia-ml or a GPU is missing).</summary>
public class OnGpuSamplerTests
{
    [Fact]
    public async Task NvmlSampler_ReturnsPlausibleReadings()
    {
        Assert.SkipUnless(GpuLibraryLoader.TryLoad(GpuLibrary.Nvml), "libnvidia-ml.so.1 is not installed here");
        using var source = new NvmlSampleSource();
        Assert.SkipWhen(source.Gpus.Count == 0, "NVML lists no GPU");
        using var sampler = new GpuSampler(source); // the default 10 Hz
        sampler.Start();
        await Task.Delay(1000, TestContext.Current.CancellationToken);
        sampler.Stop();

        var samples = sampler.Snapshot().Where(s => s.GpuIndex == source.Gpus[0].Index).ToArray();
        Assert.InRange(samples.Length, 6, 12);
        foreach (var r in samples.Select(s => s.Reading))
        {
            Assert.InRange(r.TemperatureC!.Value, 5, 110);
            Assert.InRange(r.PowerWatts!.Value, 1, 2000);
            Assert.InRange(r.MemoryUsedBytes!.Value, 1, r.MemoryTotalBytes!.Value);
            Assert.InRange(r.SmClockMHz!.Value, 1, 5000);
            Assert.InRange(r.GpuUtilizationPercent!.Value, 0, 100);
            Assert.NotNull(r.ClockEventReasons);
        }

        var summary = sampler.Summarize().Gpus[0];
        Assert.Equal(samples.Length, summary.SampleCount);
        Assert.NotNull(summary.EnergyJoules);
        Assert.InRange(summary.EnergyJoules!.Value, 0.5, 2000); // ~1 s at 50–700 W
        Assert.Equal(EnergySource.EnergyCounter, summary.EnergySource); // H100 has the counter
    }
}
