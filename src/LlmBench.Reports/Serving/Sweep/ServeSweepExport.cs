using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using LlmBench.Reports.Offline.Export;
using LlmBench.Reports.Results;

namespace LlmBench.Reports.Serving.Sweep;

/// <summary>
/// The sweep summary of `bench serve`: sweep.json (schema_version, result_kind "serve_sweep", configuration, one object
/// per point, the SLO search when there was one, the error that stopped it), sweep.csv (one row per point) and sweep.md.
/// Each point's own result stays in its vLLM result JSON beside these.
/// </summary>
public static class ServeSweepExport
{
    /// <summary>The summary's file name without ending: sweep.json, sweep.csv, sweep.md.</summary>
    public const string Name = "sweep";

    public static readonly IReadOnlyList<IResultExporter<ServeSweepResult>> Exporters =
    [
        new ResultExporter<ServeSweepResult>(".json", WriteJson),
        new ResultExporter<ServeSweepResult>(".csv", WriteCsv),
        new ResultExporter<ServeSweepResult>(".md", WriteMarkdown),
    ];

    /// <summary>The columns of sweep.csv, and the keys of each point in sweep.json (with "request_rate" "inf" there for no pacing).</summary>
    public static readonly IReadOnlyList<CsvColumn<ServeSweepPoint>> Columns = BuildColumns();

    private static List<CsvColumn<ServeSweepPoint>> BuildColumns()
    {
        var columns = new List<CsvColumn<ServeSweepPoint>>
        {
            new("max_concurrency", p => p.MaxConcurrency),
            new("request_rate", p => double.IsPositiveInfinity(p.RequestRate) ? "inf" : p.RequestRate),
            new("completed", p => p.Metrics.Completed),
            new("failed", p => p.Metrics.Failed),
            new("request_throughput", p => p.Metrics.RequestThroughput),
            new("output_throughput", p => p.Metrics.OutputThroughput),
            new("goodput", p => p.Metrics.RequestGoodput),
        };
        foreach (var metric in ServeSweepPoint.LatencyMetrics)
        {
            columns.Add(new($"mean_{metric}_ms", p => p.Latency(metric).Mean));
            columns.Add(new($"median_{metric}_ms", p => p.Latency(metric).Median));
            columns.Add(new($"p99_{metric}_ms", p => p.Latency(metric).ValueAt(99)));
        }

        columns.Add(new("success", p => p.Success));
        columns.Add(new("result_file", p => p.ResultFile is null ? null : Path.GetFileName(p.ResultFile)));
        return columns;
    }

    public static JsonObject Build(ServeSweepResult r) => new()
    {
        ["schema_version"] = ResultSchema.Version,
        ["result_kind"] = ServeSweepResult.ResultKind,
        ["configuration"] = ConfigurationJson.Build(r.Configuration),
        ["points"] = new JsonArray(r.Points.Select(p => (JsonNode?)Point(p)).ToArray()),
        ["search"] = r.Search is { } s ? Search(s) : null,
        ["complete"] = r.Error is null,
        ["error"] = r.Error,
    };

    public static JsonObject Point(ServeSweepPoint p)
    {
        var o = new JsonObject();
        foreach (var column in Columns)
            o[column.Name] = column.Value(p) switch
            {
                null => null,
                bool b => b,
                int i => i,
                double d => d,
                string s => s,
                var v => JsonValue.Create(v.ToString()),
            };
        return o;
    }

    private static JsonObject Search(SloSearchSummary s) => new()
    {
        ["dimension"] = s.Dimension,
        ["percentile"] = s.Percentile,
        ["slo_ms"] = new JsonObject { ["ttft"] = s.Slo.TtftMs, ["tpot"] = s.Slo.TpotMs, ["e2el"] = s.Slo.E2elMs },
        ["start"] = s.Start,
        ["max_runs"] = s.MaxRuns,
        ["probes"] = new JsonArray(s.Probes.Select(p => (JsonNode?)new JsonObject
        {
            ["load"] = p.Load,
            ["ttft_ms"] = p.TtftMs,
            ["tpot_ms"] = p.TpotMs,
            ["e2el_ms"] = p.E2elMs,
            ["success"] = p.Success,
            ["passed"] = p.Passed,
        }).ToArray()),
        ["answer"] = s.Answer,
    };

    public static void WriteJson(ServeSweepResult result, Stream destination) => OfflineJsonParts.Write(Build(result), destination);

    public static void WriteCsv(ServeSweepResult result, Stream destination) => CsvTable.Write(destination, Columns, result.Points);

    public static void WriteMarkdown(ServeSweepResult result, Stream destination)
    {
        using var w = new StreamWriter(destination, new UTF8Encoding(false), leaveOpen: true) { NewLine = "\n" };
        w.Write(RenderMarkdown(result));
    }

    public static string RenderMarkdown(ServeSweepResult r)
    {
        var b = new StringBuilder();
        void Line(FormattableString text) => b.AppendLine(text.ToString(CultureInfo.InvariantCulture));
        var model = r.Points.Count > 0 ? r.Points[0].Result.Info.ModelId : "";
        Line($"# llmbench bench serve sweep: {model}{(r.Error is null ? "" : " (incomplete)")}");
        b.AppendLine();
        b.AppendLine("| Max concurrency | Request rate | Completed | Failed | Req/s | Output tok/s | Goodput | Median TTFT | P99 TTFT | Median TPOT | P99 TPOT | P99 ITL | P99 E2EL | Success |");
        b.AppendLine("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |");
        foreach (var p in r.Points)
        {
            var m = p.Metrics;
            Line($"| {(p.MaxConcurrency?.ToString(CultureInfo.InvariantCulture) ?? "None")} | {Rate(p.RequestRate)} | {m.Completed} | {m.Failed} | {m.RequestThroughput:F2} | {m.OutputThroughput:F2} | {(m.RequestGoodput is { } g ? g.ToString("F2", CultureInfo.InvariantCulture) : "")} | {p.Latency("ttft").Median:F2} | {p.Latency("ttft").ValueAt(99):F2} | {p.Latency("tpot").Median:F2} | {p.Latency("tpot").ValueAt(99):F2} | {p.Latency("itl").ValueAt(99):F2} | {p.Latency("e2el").ValueAt(99):F2} | {(p.Success ? "yes" : "no")} |");
        }

        b.AppendLine();
        b.AppendLine("Latencies in ms over the successful requests; success means every request of the point succeeded.");
        if (r.Search is { } s)
        {
            b.AppendLine();
            b.AppendLine(SearchAnswer(s));
        }

        if (r.Error is { } error)
        {
            b.AppendLine();
            Line($"Stopped early: {error}");
        }

        return b.ToString();
    }

    /// <summary>The one line that answers a search: the highest passing load, or that none passed.</summary>
    public static string SearchAnswer(SloSearchSummary s) => s.Answer is { } answer
        ? string.Create(CultureInfo.InvariantCulture, $"Highest {s.Dimension} meeting the SLO at P{PercentileLabel(s.Percentile)} with 100% success: {answer:0.###} ({s.Probes.Count} runs).")
        : string.Create(CultureInfo.InvariantCulture, $"No probed {s.Dimension} met the SLO at P{PercentileLabel(s.Percentile)} with 100% success ({s.Probes.Count} runs).");

    private static string PercentileLabel(double p) => Statistics.PercentileValue.PercentileLabel(p);

    private static string Rate(double rate) => double.IsPositiveInfinity(rate) ? "inf" : rate.ToString("0.###", CultureInfo.InvariantCulture);
}
