using LlmBench.Gpu.Monitoring;

namespace LlmBench.Telemetry.Tests;

public class SummaryTests
{
    private static readonly (int, string)[] OneGpu = [(0, "NVIDIA H100 80GB HBM3")];

    [Fact]
    public void FieldStatistics_GivesMeanMaxAndInterpolatedMedian()
    {
        var stats = FieldStatistics.Of([4, null, 1, 3, 2])!;
        Assert.Equal(2.5, stats.Mean);
        Assert.Equal(4, stats.Max);
        Assert.Equal(2.5, stats.P50);
        Assert.Equal(4, stats.Count);
        Assert.Equal(1.3, FieldStatistics.Percentile([1, 2, 3, 4], 10), 10);
        Assert.Null(FieldStatistics.Of([null, null]));
    }

    [Fact]
    public void Energy_ComesFromTheCounter_WhenEverySampleHasIt()
    {
        GpuSample[] samples =
        [
            Readings.At(0.0, Readings.Make(powerWatts: 100, energyMillijoules: 1_000_000)),
            Readings.At(1.0, Readings.Make(powerWatts: 300, energyMillijoules: 1_250_000)),
            Readings.At(2.0, Readings.Make(powerWatts: 300, energyMillijoules: 1_700_000)),
        ];
        var gpu = TelemetrySummary.From(samples, OneGpu).Gpus.Single();
        Assert.Equal(700, gpu.EnergyJoules);
        Assert.Equal(EnergySource.EnergyCounter, gpu.EnergySource);
        Assert.Equal(2.0, gpu.DurationSeconds);
        Assert.Equal(300, gpu.PowerWatts!.Max);
    }

    [Fact]
    public void Energy_IntegratesPower_WithoutACounter()
    {
        GpuSample[] samples =
        [
            Readings.At(0.0, Readings.Make(powerWatts: 100)),
            Readings.At(1.0, Readings.Make(powerWatts: 300)),
            Readings.At(3.0, Readings.Make(powerWatts: 300)),
        ];
        var gpu = TelemetrySummary.From(samples, OneGpu).Gpus.Single();
        Assert.Equal(200 + 600, gpu.EnergyJoules); // trapezoids: (100+300)/2·1 + 300·2
        Assert.Equal(EnergySource.IntegratedPower, gpu.EnergySource);
    }

    [Fact]
    public void ClockEventShares_AreFractionsOfReportingSamples()
    {
        GpuSample[] samples =
        [
            Readings.At(0, Readings.Make(reasons: ClockEventReasons.SoftwarePowerCap)),
            Readings.At(1, Readings.Make(reasons: ClockEventReasons.SoftwarePowerCap | ClockEventReasons.HardwareThermalSlowdown)),
            Readings.At(2, Readings.Make(reasons: ClockEventReasons.None)),
            Readings.At(3, Readings.Make(reasons: ClockEventReasons.None)),
            Readings.At(4, Readings.Make(reasons: null)),
        ];
        var shares = TelemetrySummary.From(samples, OneGpu).Gpus.Single().ClockEventShare;
        Assert.Equal(0.5, shares["sw-power"]);
        Assert.Equal(0.25, shares["hw-thermal"]);
        Assert.Equal(0, shares["idle"]);
    }

    [Fact]
    public void UnsupportedFields_StayNull_AndGpusAreSeparate()
    {
        GpuSample[] samples =
        [
            Readings.At(0, Readings.Make(powerWatts: null, util: null, temperature: 40), gpu: 0),
            Readings.At(0, Readings.Make(temperature: 70), gpu: 1),
            Readings.At(1, Readings.Make(powerWatts: null, util: null, temperature: 50), gpu: 0),
        ];
        var summary = TelemetrySummary.From(samples, [(0, "a"), (1, "b")]);
        var first = summary.Gpus[0];
        Assert.Null(first.PowerWatts);
        Assert.Null(first.GpuUtilizationPercent);
        Assert.Equal(EnergySource.None, first.EnergySource);
        Assert.Equal(45, first.TemperatureC!.Mean);
        Assert.Equal(1, summary.Gpus[1].SampleCount);
    }

    [Fact]
    public void ClockEventReasons_DescribeThemselves()
    {
        Assert.Equal("none", ClockEventReasons.None.Describe());
        Assert.Equal("idle+sw-power", (ClockEventReasons.GpuIdle | ClockEventReasons.SoftwarePowerCap).Describe());
    }
}
