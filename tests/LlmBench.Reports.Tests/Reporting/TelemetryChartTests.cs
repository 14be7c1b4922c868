using LlmBench.Reports.Html;
using LlmBench.Reports.Offline;
using LlmBench.Reports.Reading;
using LlmBench.Reports.Sweep.Export;
using LlmBench.Reports.Tests.Reading;
using LlmBench.Reports.Tests.Results;

namespace LlmBench.Reports.Tests.Reporting;

/// <summary>GPU temperature, power, SM clock and memory over time: drawn from a result's "telemetry" samples, absent without them.</summary>
public sealed class TelemetryChartTests
{
    private static readonly string[] TelemetryCharts = ["gpu-temperature", "gpu-power", "gpu-sm-clock", "gpu-memory"];

    private static ResultDocument Fixture(params string[] path) => ResultReader.Read(ResultFixtures.Path(path));

    [Fact]
    public void A_run_with_samples_gets_the_four_charts_a_line_per_gpu()
    {
        var report = ResultReport.Build([Fixture("h200", "result.json")]);
        var charts = report.Charts.Where(c => c.Id.StartsWith("gpu-", StringComparison.Ordinal)).ToList();
        Assert.Equal(TelemetryCharts, charts.Select(c => c.Id));
        Assert.All(charts, c => Assert.Equal(("time (s)", 34), (c.XLabel, c.Series.Single().X.Count)));
        Assert.Equal("0: NVIDIA H200", charts[0].Series[0].Name);
        Assert.Equal(61, charts[0].Series[0].Y.Max());
        Assert.Equal(640.5, charts[1].Series[0].Y.Max());
        Assert.Equal(1830, charts[2].Series[0].Y.Min());
        Assert.Equal(120e9 / (1024.0 * 1024 * 1024), charts[3].Series[0].Y[^1], 9); // bytes drawn as GiB
        var page = report.Page("t");
        Assert.Contains("NVML samples over the whole run, warm-up included, one point per 10 s", page, StringComparison.Ordinal);
        Assert.DoesNotContain("has no telemetry samples", page, StringComparison.Ordinal);
    }

    [Fact]
    public void A_result_without_samples_gets_no_telemetry_chart_and_a_note()
    {
        var report = ResultReport.Build([Fixture("h100", "result.json"), Fixture("sweep", "sweep.json"), Fixture("serve", "serve-c8.json")]);
        Assert.DoesNotContain(report.Charts, c => c.Id.StartsWith("gpu-", StringComparison.Ordinal));
        Assert.NotEmpty(report.Charts); // the other charts are still there
        Assert.Contains("This result has no telemetry samples over time", report.Page("t"), StringComparison.Ordinal);
    }

    [Fact]
    public void A_sweep_written_with_samples_reads_back_into_the_charts()
    {
        var readings = Enumerable.Range(0, 600).Select(i => new TelemetryReading(i / 10.0, 40 + i / 60, 200 + i % 7, i < 300 ? 1980 : 1755, 5e9)).ToArray();
        var series = GpuTimeSeriesDownsampler.Downsample(0, "NVIDIA H200", readings)!;
        var json = SweepResultJson.Build(SampleResults.Sweep() with { Telemetry = [series] }).ToJsonString();
        var report = ResultReport.Build([ResultReader.Parse("sweep.json", json)]);
        var clock = report.Charts.Single(c => c.Id == "gpu-sm-clock").Series.Single();
        Assert.Equal(60, clock.X.Count);
        Assert.Equal((1980.0, 1755.0), (clock.Y[29], clock.Y[30]));
        Assert.Equal(TelemetryCharts, report.Charts.Select(c => c.Id).Where(id => id.StartsWith("gpu-", StringComparison.Ordinal)));

        var without = ResultReport.Build([ResultReader.Parse("sweep.json", SweepResultJson.Build(SampleResults.Sweep()).ToJsonString())]);
        Assert.DoesNotContain(without.Charts, c => c.Id.StartsWith("gpu-", StringComparison.Ordinal));
    }

    [Fact]
    public void A_field_no_gpu_reported_is_left_out_and_named()
    {
        var readings = Enumerable.Range(0, 30).Select(i => new TelemetryReading(i / 10.0, 50, null, 1980, 1e9)).ToArray();
        var json = SweepResultJson.Build(SampleResults.Sweep() with { Telemetry = [GpuTimeSeriesDownsampler.Downsample(0, "GPU", readings)!] }).ToJsonString();
        var report = ResultReport.Build([ResultReader.Parse("sweep.json", json)]);
        Assert.Equal(["gpu-temperature", "gpu-sm-clock", "gpu-memory"], report.Charts.Select(c => c.Id).Where(id => id.StartsWith("gpu-", StringComparison.Ordinal)));
        Assert.Contains("Not reported by the GPU, so not drawn: power.", report.Page("t"), StringComparison.Ordinal);
    }
}
