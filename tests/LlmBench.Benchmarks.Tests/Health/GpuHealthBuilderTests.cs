using LlmBench.Benchmarks.Health;
using LlmBench.Gpu.Monitoring;
using LlmBench.Telemetry;

namespace LlmBench.Benchmarks.Tests.Health;

public class GpuHealthBuilderTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 23, 6, 0, 0, TimeSpan.Zero);

    private static GpuSample Sample(int gpu, double seconds, int temperatureC, double powerWatts, long energyMj, long memoryMib, int smMHz, ClockEventReasons reasons) =>
        new(gpu, T0.AddSeconds(seconds), seconds, new NvmlReading(97, 60, memoryMib * 1048576, 81_559L * 1048576, temperatureC, powerWatts, energyMj,
            smMHz, 2619, reasons, 0));

    [Fact]
    public void OnlyTheWindowsSamplesOfThatGpuCount()
    {
        GpuSample[] samples =
        [
            Sample(0, 0.0, 40, 150, 1_000_000, 1_000, 1980, ClockEventReasons.GpuIdle), // warm-up: left out
            Sample(0, 10.0, 60, 600, 2_000_000, 20_000, 1980, ClockEventReasons.None),
            Sample(1, 10.0, 90, 700, 9_000_000, 70_000, 1000, ClockEventReasons.HardwareThermalSlowdown), // another GPU
            Sample(0, 20.0, 70, 700, 8_500_000, 20_100, 1755, ClockEventReasons.SoftwarePowerCap),
            Sample(0, 30.0, 68, 650, 15_000_000, 20_200, 1830, ClockEventReasons.SoftwarePowerCap | ClockEventReasons.SyncBoost),
            Sample(0, 40.0, 50, 200, 16_000_000, 1_000, 1980, ClockEventReasons.GpuIdle), // after the window
        ];

        var health = GpuHealthBuilder.For(0, "H100", samples, T0.AddSeconds(5), T0.AddSeconds(35), "GPU-0");

        Assert.Equal(3, health.Samples);
        Assert.Equal("GPU-0", health.Uuid);
        Assert.Equal(20, health.DurationSeconds, 9); // 10 s to 30 s
        Assert.Equal(0.1, health.SampleRateHz!.Value, 9); // 2 intervals in 20 s
        Assert.Equal(97, health.MaxGpuUtilizationPercent);
        Assert.Equal(66, health.MeanTemperatureC!.Value, 9);
        Assert.Equal(70, health.MaxTemperatureC);
        Assert.Equal(650, health.MeanPowerWatts!.Value, 9);
        Assert.Equal(1755, health.MinSmClockMHz);
        Assert.Equal(20_000L * 1048576, health.MemoryUsedAtStartBytes);
        Assert.Equal(20_200L * 1048576, health.MemoryUsedAtEndBytes);
        Assert.Equal(13_000, health.EnergyJoules!.Value, 9); // energy counter: 15,000,000 − 2,000,000 mJ
        Assert.Equal(2 / 3.0, health.ThrottledShare!.Value, 9); // sw-power in 2 of 3 samples; sync-boost alone is not throttling
        Assert.Equal(2 / 3.0, health.ThrottleShare["sw-power"], 9);
        var notes = GpuHealthNotes.Throttling(health);
        Assert.Contains(notes, n => n.StartsWith("GPU 0 was throttled in 66.7 % of samples (sw-power 66.7 %", StringComparison.Ordinal));
        Assert.Contains(notes, n => n.Contains("20000 MiB at the window's start, 20200 MiB at its end (+1.0 %)", StringComparison.Ordinal));
    }
}
