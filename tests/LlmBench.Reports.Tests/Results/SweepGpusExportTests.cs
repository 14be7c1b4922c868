using System.Text;
using System.Text.Json.Nodes;
using LlmBench.Reports.Html;
using LlmBench.Reports.Offline;
using LlmBench.Reports.Reading;
using LlmBench.Reports.Sweep;
using LlmBench.Reports.Sweep.Export;
using LlmBench.Reports.Tests.Reading;

namespace LlmBench.Reports.Tests.Results;

/// <summary>`sweep --gpus`: each point's GPUs and verdict in sweep.json, sweep.csv, sweep.md and the HTML report; older sweeps unchanged.</summary>
public class SweepGpusExportTests
{
    private static SweepPoint Gpu(string device, int batch, double tokS) => new()
    {
        Backend = "llmbench", BatchSize = batch, InputLen = 128, OutputLen = 128, Status = SweepPointStatus.Ok, Device = device,
        OutputThroughput = tokS, RequestsPerSecond = tokS / 128, MeanTpotMs = 8, P99TpotMs = 9, MeanTtftMs = 20, P99TtftMs = 25,
    };

    private static SweepPoint Total(params SweepPoint[] gpus) => gpus[0] with
    {
        Device = null,
        OutputThroughput = gpus.Sum(g => g.OutputThroughput),
        RequestsPerSecond = gpus.Sum(g => g.RequestsPerSecond),
        PerGpu = gpus,
        Agreement = GpuAgreement.From(gpus.Select(g => g.Device!).ToArray(), gpus.Select(g => g.OutputThroughput!.Value).ToArray()),
    };

    /// <summary>Batch 8: the GPUs agree (1000 and 990 tok/s); batch 16: cuda:1 is 11 % below their mean (2000 and 1600).</summary>
    private static SweepResult TwoGpus()
    {
        SweepPoint[] points = [Total(Gpu("cuda:0", 8, 1000), Gpu("cuda:1", 8, 990)), Total(Gpu("cuda:0", 16, 2000), Gpu("cuda:1", 16, 1600))];
        return SampleResults.Sweep() with { Points = points, Choices = new SweepChoices(points[1], [points[1]], null, SweepSlo.None) };
    }

    [Fact]
    public void Json_gives_each_points_gpus_and_verdict_and_one_over_the_sweep()
    {
        var json = SweepResultJson.Build(TwoGpus());

        var point = json["points"]![1]!;
        Assert.Equal(3600, (double)point["output_throughput"]!);
        var gpus = point["gpus"]!.AsArray();
        Assert.Equal(["cuda:0", "cuda:1"], gpus.Select(g => (string?)g!["device"]));
        Assert.Equal([2000.0, 1600.0], gpus.Select(g => (double)g!["output_throughput"]!));
        Assert.Equal(-11.1, Math.Round((double)gpus[1]!["deviation_from_mean_pct"]!, 1));
        Assert.False((bool)point["gpu_agreement"]!["agree"]!);
        Assert.Equal("cuda:1", (string?)point["gpu_agreement"]!["slow_gpu"]);
        Assert.True((bool)json["points"]![0]!["gpu_agreement"]!["agree"]!);

        var sweep = json["gpu_agreement"]!;
        Assert.Equal((2, 1, false), ((int)sweep["points_compared"]!, (int)sweep["points_disagreeing"]!, (bool)sweep["agree"]!));
        Assert.Equal("cuda:1", (string?)sweep["slow_gpus"]![0]!["device"]);
        Assert.Equal("2 GPUs do NOT agree within ±5 % at 1 of 2 points measured on every GPU; slow card: cuda:1 (at 1).", (string?)sweep["summary"]);

        var single = SweepResultJson.Build(SampleResults.Sweep());
        Assert.False(single.ContainsKey("gpu_agreement"));
        Assert.False(single["points"]![0]!.AsObject().ContainsKey("gpus"));
    }

    [Fact]
    public void Csv_puts_each_gpus_row_under_its_points_total_only_with_gpus()
    {
        using var stream = new MemoryStream();
        SweepResultCsv.Write(TwoGpus(), stream);
        var lines = Encoding.UTF8.GetString(stream.ToArray()).Split('\n', StringSplitOptions.RemoveEmptyEntries);

        var header = lines[0].Split(',');
        Assert.Equal(["schema_version", "model", "gpu", "backend"], header[..4]);
        int deviation = Array.IndexOf(header, "deviation_from_mean_pct"), agree = Array.IndexOf(header, "gpus_agree"), tokS = Array.IndexOf(header, "output_throughput");
        var rows = lines[1..].Select(l => l.Split(',')).ToArray();
        Assert.Equal(["total", "cuda:0", "cuda:1", "total", "cuda:0", "cuda:1"], rows.Select(r => r[2]));
        Assert.Equal(["1990", "1000", "990", "3600", "2000", "1600"], rows.Select(r => r[tokS]));
        Assert.Equal(["true", "", "", "false", "", ""], rows.Select(r => r[agree]));
        Assert.Equal(-11.1, Math.Round(double.Parse(rows[5][deviation], System.Globalization.CultureInfo.InvariantCulture), 1));

        using var old = new MemoryStream();
        SweepResultCsv.Write(SampleResults.Sweep(), old);
        Assert.DoesNotContain(",gpu,", Encoding.UTF8.GetString(old.ToArray()).Split('\n')[0], StringComparison.Ordinal);
    }

    [Fact]
    public void Markdown_has_a_gpu_column_the_verdict_per_point_and_the_line_over_the_sweep()
    {
        var md = SweepResultMarkdown.Render(TwoGpus());

        Assert.Contains("| Framework | GPU | Batch Size | Input | Output | Toks/sec | RPS | Avg. TTFT | Avg. TPOT | GPU util | % of floor | GPUs agree |", md, StringComparison.Ordinal);
        Assert.Contains("| llmbench | all 2 | 8 | 128 | 128 | 1990.0 |", md, StringComparison.Ordinal);
        Assert.Contains("| n/a | n/a | yes |", md, StringComparison.Ordinal);
        Assert.Contains("| llmbench | all 2 | 16 | 128 | 128 | 3600.0 |", md, StringComparison.Ordinal);
        Assert.Contains("| n/a | n/a | NO, slow: cuda:1 |", md, StringComparison.Ordinal);
        Assert.Contains("| llmbench | cuda:1 | 16 | 128 | 128 | 1600.0 | 12.50 | 20.0 ms | 8.00 ms | n/a | n/a | -11.1 % |", md, StringComparison.Ordinal);
        Assert.Contains("- 2 GPUs do NOT agree within ±5 % at 1 of 2 points measured on every GPU; slow card: cuda:1 (at 1).", md, StringComparison.Ordinal);
        Assert.DoesNotContain("| GPU |", SweepResultMarkdown.Render(SampleResults.Sweep()), StringComparison.Ordinal);
    }

    [Fact]
    public void The_html_report_draws_each_gpu_and_lists_its_rows_and_an_older_sweep_still_renders()
    {
        var report = ResultReport.Build([ResultReader.Parse("sweep.json", SweepResultJson.Build(TwoGpus()).ToJsonString())]);

        var each = report.Charts.Single(c => c.Id == "sweep-gpus-throughput-vs-batch");
        Assert.Equal(["cuda:0: llmbench", "cuda:1: llmbench"], each.Series.Select(s => s.Name));
        Assert.Equal([1000.0, 2000.0], each.Series[0].Y);
        var page = report.Page("t");
        Assert.Contains(System.Net.WebUtility.HtmlEncode("GPUs agree (±5 %) / vs mean"), page, StringComparison.Ordinal);
        Assert.Contains("NO, slow: cuda:1", page, StringComparison.Ordinal);
        Assert.Contains("-11.1 %", page, StringComparison.Ordinal);
        Assert.Contains("slow card: cuda:1 (at 1)", page, StringComparison.Ordinal);

        var old = ResultReport.Build([ResultReader.Read(ResultFixtures.Path("sweep", "sweep.json"))]);
        Assert.DoesNotContain(old.Charts, c => c.Id == "sweep-gpus-throughput-vs-batch");
        Assert.DoesNotContain("GPUs agree", old.Page("t"), StringComparison.Ordinal);
        Assert.Contains(old.Charts, c => c.Id == "sweep-throughput-vs-batch");
    }

    [Fact]
    public void The_verdict_over_the_sweep_counts_only_points_every_gpu_measured()
    {
        var result = TwoGpus();
        var notRun = result.Points[0] with { Status = SweepPointStatus.Failed, Note = "cuda:1: failed: out of memory", Agreement = null, OutputThroughput = null };
        var agreement = SweepGpuAgreement.Of([notRun, result.Points[1]])!;
        Assert.Equal((1, 1), (agreement.PointsCompared, agreement.Disagreeing.Count));
        Assert.Null(SweepGpuAgreement.Of(SampleResults.Sweep().Points));
        Assert.Equal("2 GPUs agree within ±5 % at the one point measured on every GPU.", SweepGpuAgreement.Of([result.Points[0]])!.Summary());
    }
}
