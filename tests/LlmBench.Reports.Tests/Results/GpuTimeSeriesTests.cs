using System.Text.Json.Nodes;
using LlmBench.Reports.Offline;
using LlmBench.Reports.Offline.Export;
using LlmBench.Reports.Sweep.Export;

namespace LlmBench.Reports.Tests.Results;

public sealed class GpuTimeSeriesTests
{
    /// <summary>10 Hz from t = 5 s to 8 s: 31 readings; temperature 50 + i/10, power 300 + i, SM clock 1980, memory 1000 + i bytes.</summary>
    private static TelemetryReading[] TenHertz(int count = 31, double start = 5) =>
        Enumerable.Range(0, count).Select(i => new TelemetryReading(start + i / 10.0, 50 + i / 10.0, 300 + i, 1980, 1000 + i)).ToArray();

    [Fact]
    public void Readings_at_10_Hz_become_one_point_a_second_with_means_and_the_memory_peak()
    {
        var s = GpuTimeSeriesDownsampler.Downsample(0, "H200", TenHertz())!;
        Assert.Equal(1, s.IntervalSeconds);
        Assert.Equal(31, s.SourceSamples);
        Assert.Equal([0.0, 1, 2, 3], s.Seconds); // from the first reading; the reading at 8.0 s starts the fourth second alone
        Assert.Equal([50.5, 51.5, 52.5, 53.0], s.TemperatureC); // readings 0-9 average 50.45, rounded to 0.1 away from zero
        Assert.Equal([304.5, 314.5, 324.5, 330], s.PowerWatts);
        Assert.Equal([1980.0, 1980, 1980, 1980], s.SmClockMHz);
        Assert.Equal([1009.0, 1019, 1029, 1030], s.MemoryUsedBytes);
    }

    [Fact]
    public void A_long_run_is_bounded_by_widening_the_interval()
    {
        // Two hours at 10 Hz: 72,001 readings; 3,600 points at most means 3 s a point (2 s would still give 3,601).
        var s = GpuTimeSeriesDownsampler.Downsample(0, "H200", TenHertz(72_001, 0))!;
        Assert.Equal(3, s.IntervalSeconds);
        Assert.Equal(2401, s.Seconds.Count);
        Assert.True(s.Seconds.Count <= GpuTimeSeriesDownsampler.DefaultMaxPoints);
        Assert.Equal(7200, s.Seconds[^1]);
        var justUnder = GpuTimeSeriesDownsampler.Downsample(0, "H200", TenHertz(35_991, 0))!; // 3,599 s
        Assert.Equal((1.0, 3600), (justUnder.IntervalSeconds, justUnder.Seconds.Count));
    }

    [Fact]
    public void Fields_the_gpu_does_not_report_stay_null_and_no_readings_is_no_series()
    {
        TelemetryReading[] readings = [new(0, null, 100, null, null), new(0.5, null, 200, null, null), new(1.2, null, null, null, null)];
        var s = GpuTimeSeriesDownsampler.Downsample(1, "T4", readings)!;
        Assert.Equal([150.0, null], s.PowerWatts);
        Assert.All(s.TemperatureC, Assert.Null);
        Assert.All(s.MemoryUsedBytes, Assert.Null);
        Assert.Null(GpuTimeSeriesDownsampler.Downsample(0, "H200", []));
    }

    [Fact]
    public void The_telemetry_section_is_written_only_when_there_are_samples()
    {
        var series = GpuTimeSeriesDownsampler.Downsample(0, "NVIDIA H200", TenHertz())! with { StartUtc = new DateTimeOffset(2026, 12, 4, 17, 0, 0, TimeSpan.Zero) };
        var json = SweepResultJson.Build(SampleResults.Sweep() with { Telemetry = [series] });
        var gpu = json[GpuTimeSeriesJson.Key]!["gpus"]![0]!;
        Assert.Equal("2026-12-04T17:00:00.000Z", gpu["start_utc"]!.GetValue<string>());
        Assert.Equal(4, gpu["points"]!.GetValue<int>());
        Assert.Equal("[0,1,2,3]", gpu["t_s"]!.ToJsonString());
        Assert.Equal("[304.5,314.5,324.5,330]", gpu["power_w"]!.ToJsonString());
        Assert.Equal("[1009,1019,1029,1030]", gpu["memory_used_bytes"]!.ToJsonString());
        Assert.Equal(1, json["schema_version"]!.GetValue<int>());

        Assert.False(SweepResultJson.Build(SampleResults.Sweep()).ContainsKey(GpuTimeSeriesJson.Key));
        Assert.False(SweepResultJson.Build(SampleResults.Sweep() with { Telemetry = [] }).ContainsKey(GpuTimeSeriesJson.Key));
        Assert.Null(GpuTimeSeriesJson.Build([series with { Seconds = [], TemperatureC = [], PowerWatts = [], SmClockMHz = [], MemoryUsedBytes = [] }]));
        Assert.IsType<JsonObject>(GpuTimeSeriesJson.Build([series]));
    }
}
