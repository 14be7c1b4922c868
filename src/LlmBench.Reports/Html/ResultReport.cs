using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using LlmBench.Reports.Compare;
using LlmBench.Reports.Reading;
using LlmBench.Reports.Results;
using static LlmBench.Reports.Html.HtmlBuilder;

namespace LlmBench.Reports.Html;

/// <summary>What a written report consists of: the HTML file and the PNG of every chart in it.</summary>
public sealed record WrittenReport(string HtmlPath, string ChartsFolder, IReadOnlyList<string> ChartFiles);

/// <summary>
/// `llmbench report`: one self-contained HTML page for any mix of result files (platform and configuration at the
/// top, then per result its charts with tables under them) and a folder of the same charts as PNG for slides.
/// </summary>
public static partial class ResultReport
{
    private static readonly string[] LatencyMetrics = ["ttft", "tpot", "itl", "e2el"];

    public static WrittenReport Write(IReadOnlyList<ResultDocument> results, string htmlPath, Comparison? comparison = null)
    {
        var page = Build(results, comparison);
        return WritePage(page, htmlPath, "llmbench report");
    }

    /// <summary>Writes <paramref name="page"/> to <paramref name="htmlPath"/> and its charts as PNG to "&lt;name&gt;-charts/".</summary>
    public static WrittenReport WritePage(HtmlBuilder page, string htmlPath, string title)
    {
        var folder = Path.GetDirectoryName(Path.GetFullPath(htmlPath))!;
        Directory.CreateDirectory(folder);
        File.WriteAllText(htmlPath, page.Page(title));
        var charts = Path.Combine(Path.GetDirectoryName(htmlPath) ?? "", Path.GetFileNameWithoutExtension(htmlPath) + "-charts");
        Directory.CreateDirectory(charts);
        var files = new List<string>();
        foreach (var chart in page.Charts)
        {
            var file = Path.Combine(charts, chart.Id + ".png");
            File.WriteAllBytes(file, ChartRenderer.Png(chart));
            files.Add(file);
        }

        return new WrittenReport(htmlPath, charts, files);
    }

    public static HtmlBuilder Build(IReadOnlyList<ResultDocument> results, Comparison? comparison = null)
    {
        var h = new HtmlBuilder();
        h.Paragraph($"{results.Count} result file(s): {string.Join(", ", results.Select(r => $"{r.Path} ({r.Kind})"))}.", "note");
        PlatformAndConfiguration(h, results);
        if (comparison is not null)
            CompareSection(h, comparison);
        else if (results.Count > 1)
            TryComparison(h, results);

        var serves = results.Where(r => r.Kind == ResultKinds.Serve).ToList();
        if (serves.Count > 1)
            ServeFrontier(h, serves);
        var sweeps = results.Where(r => r.Kind == ResultKinds.Sweep).ToList();
        if (sweeps.Count > 1)
            SweepOverlay(h, sweeps);
        var throughputs = results.Where(r => r.Kind == ResultKinds.Throughput).ToList();
        if (throughputs.Count > 1)
            ThroughputBars(h, throughputs);
        foreach (var r in results)
        {
            h.Heading(2, $"{r.QualifiedName} ({r.Kind})");
            switch (r.Kind)
            {
                case ResultKinds.Run: Run(h, r); break;
                case ResultKinds.Throughput: Throughput(h, r); break;
                case ResultKinds.Serve: Serve(h, r); break;
                case ResultKinds.Sweep: Sweep(h, r); break;
                default: Generic(h, r); break;
            }
        }

        return h;
    }

    private static void PlatformAndConfiguration(HtmlBuilder h, IReadOnlyList<ResultDocument> results)
    {
        h.Heading(2, "Platform and configuration");
        string P(ResultDocument r, string key) => Json.Text(r.Platform, key) ?? "-";
        h.Table(
            ["result", "GPU", "driver", "CUDA", "device", "CPU", "llmbench"],
            results.Select(r => (IReadOnlyList<string>)[
                r.QualifiedName,
                Json.Text(r.Platform, "gpu_name") ?? Json.Text(r.Own, "gpu_telemetry", "gpus") ?? Json.Text(r.Root, "gpu") ?? "-",
                P(r, "driver_version"), P(r, "cuda_version"), P(r, "device"), P(r, "cpu"),
                P(r, "llmbench_version") is "-" ? Json.Text(r.Configuration, "llmbench_version") ?? "-" : P(r, "llmbench_version")]),
            "Platform");
        h.Table(
            ["result", "command line", "engine options", "seed", "commit"],
            results.Select(r => (IReadOnlyList<string>)[
                r.QualifiedName,
                string.Join(' ', Json.Array(r.Configuration, "command_line").Select(n => n?.ToString() ?? "")),
                string.Join(", ", (Json.Object(r.Configuration, "engine_options") ?? []).Select(p => $"{p.Key}={p.Value}")),
                Json.Text(r.Configuration, "seed") ?? "-",
                Json.Text(r.Configuration, "git_commit") is { Length: > 12 } c ? c[..12] : Json.Text(r.Configuration, "git_commit") ?? "-"]),
            "Configuration");
    }

    private static void TryComparison(HtmlBuilder h, IReadOnlyList<ResultDocument> results)
    {
        try
        {
            CompareSection(h, Comparison.Build(results));
        }
        catch (ReportException ex)
        {
            h.Heading(2, "Comparison").Paragraph($"Not ranked: {ex.Message}", "note");
        }
    }

    /// <summary>The comparison table and its bar charts (throughput; $ per 1M tokens when priced).</summary>
    public static void CompareSection(HtmlBuilder h, Comparison c)
    {
        h.Heading(2, "Comparison");
        h.Paragraph("Workload: " + string.Join("; ", c.Columns[0].Workload.Select(p => $"{p.Key} {p.Value}")), "note");
        // Bars name the GPU too when the columns ran on different GPUs (a cross-GPU comparison reads by GPU first).
        bool gpusDiffer = c.Gpus.Distinct().Count() > 1;
        var labels = c.Columns.Select((x, i) => gpusDiffer ? $"{c.Gpus[i]}: {x.Label}" : x.Label).ToList();
        foreach (var row in c.Rows.Where(r => r.Metric == c.Columns[0].ThroughputName || r.Metric.StartsWith("$ per 1M", StringComparison.Ordinal) || r.Metric.StartsWith("fraction of floor", StringComparison.Ordinal)))
        {
            if (row.Values.All(v => v is null))
                continue;
            h.Chart(new ChartSpec(
                "compare-" + Slug(row.Metric), row.Metric, "", row.Metric, ChartStyle.Bar,
                [new ChartSeries(row.Metric, labels.Select((_, i) => (double)i).ToList(), row.Values.Select(v => v ?? 0).ToList())],
                labels));
        }

        h.Table(c.Headers, [["GPU", .. c.Gpus], ["dtypes", .. c.Dtypes], .. c.Rows.Select(r => (IReadOnlyList<string>)[r.Metric, .. c.Columns.Select((_, i) => r.Cell(i))])]);
        h.Paragraph("Ratios in parentheses are to the first column. " + string.Join(" ", c.Notes), "note");
    }

    private static void Run(HtmlBuilder h, ResultDocument r)
    {
        var root = r.Root;
        var engines = Json.Array(root, "engines").OfType<JsonObject>().ToList();
        var floor = engines.Select(e => Json.Number(e, "memory_bandwidth_floor", "fraction_of_floor")).OfType<double>().ToList();
        h.Paragraph($"Score: {F(Json.Number(root, "score_output_tokens_per_s"), "0.0")} output tok/s" +
            (floor.Count > 0 ? $" ({F(floor.Average() * 100, "0.0")} % of the memory-bandwidth floor)" : "") +
            $"; {(Json.Bool(root, "valid") == true ? "valid" : "NOT valid")}{(Json.Bool(root, "incomplete") == true ? ", incomplete" : "")}; model {Json.Text(root, "model", "name")}, workload {Json.Text(root, "workload", "name")}.");
        var series = new List<ChartSeries>();
        foreach (var e in engines)
        {
            var windows = Json.Array(e, "windows").OfType<JsonObject>().ToList();
            if (windows.Count == 0)
                continue;
            var mean = Json.Number(e, "output_throughput") ?? windows.Average(w => Json.Number(w, "output_throughput") ?? 0);
            var tolerance = Json.Number(e, "verdict", "tolerance") ?? 0.05;
            series.Add(new ChartSeries(
                $"{Json.Text(e, "device")} (band: mean ±{F(tolerance * 100, "0.#")} %)",
                windows.Select(w => Json.Number(w, "end_s") ?? 0).ToList(),
                windows.Select(w => Json.Number(w, "output_throughput") ?? 0).ToList(),
                (mean * (1 - tolerance), mean * (1 + tolerance))));
        }

        var windowSeconds = engines.Select(e => Json.Number(e, "verdict", "window_s")).FirstOrDefault(x => x is not null) ?? 30;
        if (series.Count > 0)
            h.Chart(new ChartSpec("run-windows", $"Output tok/s per {F(windowSeconds)} s window", "end of window (s)", "output tok/s", ChartStyle.Line, series));
        else
            h.Paragraph("No windows in this result (the measurement was shorter than one window).", "note");
        h.Table(
            ["engine", "output tok/s", "fraction of floor", "TTFT p50 / p99 (ms)", "TPOT p50 / p99 (ms)", "J per output token", "valid", "reasons"],
            engines.Select(e => (IReadOnlyList<string>)[
                Json.Text(e, "device") ?? "-",
                F(Json.Number(e, "output_throughput"), "0.0"),
                Percent(Json.Number(e, "memory_bandwidth_floor", "fraction_of_floor")),
                $"{F(Json.Number(e, "median_ttft_ms"), "0.0")} / {F(Json.Number(e, "p99_ttft_ms"), "0.0")}",
                $"{F(Json.Number(e, "median_tpot_ms"), "0.00")} / {F(Json.Number(e, "p99_tpot_ms"), "0.00")}",
                F(Json.Number(e, "joules_per_output_token"), "0.000"),
                Json.Bool(e, "verdict", "valid") == true ? "yes" : "no",
                string.Join("; ", Json.Array(e, "verdict", "reasons").Select(n => n?.ToString()))]),
            "Engines");
        var charted = TelemetryCharts(h, r, "the whole run, warm-up included");
        Health(h, engines.Select(e => Json.Object(e, "gpu_health")).OfType<JsonObject>().ToList(), charted);
    }

    /// <summary>GPU health summaries over the measurement; <paramref name="charted"/>: the telemetry charts are drawn above.</summary>
    private static void Health(HtmlBuilder h, IReadOnlyList<JsonObject> gpus, bool charted)
    {
        if (gpus.Count == 0)
        {
            h.Paragraph("No GPU health in this result (no NVML: CPU run, or the server's GPUs were not sampled).", "note");
            return;
        }

        h.Table(
            ["GPU", "samples", "temperature mean / max (°C)", "power mean / max (W)", "SM clock mean / min (MHz)", "memory clock (MHz)", "utilization mean (%)", "memory used max (GiB)", "energy (J)", "throttled share"],
            gpus.Select(g => (IReadOnlyList<string>)[
                $"{Json.Text(g, "gpu_index")}: {Json.Text(g, "name")}",
                Json.Text(g, "samples") ?? "-",
                $"{F(Json.Number(g, "mean_temperature_c"), "0.0")} / {F(Json.Number(g, "max_temperature_c"), "0")}",
                $"{F(Json.Number(g, "mean_power_w"), "0.0")} / {F(Json.Number(g, "max_power_w"), "0.0")}",
                $"{F(Json.Number(g, "mean_sm_clock_mhz"), "0")} / {F(Json.Number(g, "min_sm_clock_mhz"), "0")}",
                F(Json.Number(g, "mean_memory_clock_mhz"), "0"),
                F(Json.Number(g, "mean_gpu_utilization_pct"), "0.0"),
                F(Json.Number(g, "max_memory_used_bytes") / (1024.0 * 1024 * 1024), "0.00"),
                F(Json.Number(g, "energy_j"), "0"),
                Percent(Json.Number(g, "throttled_share"))]),
            "GPU health");
        if (!charted)
            h.Paragraph("This result has no telemetry samples over time (its file was written before llmbench kept them), so temperature, power, clocks and memory are only tabled here, as summaries over the measurement.", "note");
    }

    private static void Throughput(HtmlBuilder h, ResultDocument r)
    {
        var root = r.Root;
        var own = r.Own;
        h.Paragraph($"Model {Json.Text(own, "model", "name")}, workload {Json.Text(own, "workload", "name")} ({Json.Text(own, "workload", "description")}).");
        h.Table(
            ["output tok/s", "fraction of floor", "total tok/s", "requests/s", "TTFT p50 / p99 (ms)", "TPOT p50 / p99 (ms)", "E2EL p50 / p99 (ms)", "elapsed (s)"],
            [[
                F(Json.Number(root, "output_throughput"), "0.0"),
                Percent(Json.Number(own, "memory_bandwidth_floor", "fraction_of_floor")),
                F(Json.Number(root, "total_token_throughput"), "0.0"),
                F(Json.Number(root, "requests_per_second"), "0.00"),
                $"{F(Json.Number(root, "median_ttft_ms"), "0.0")} / {F(Json.Number(root, "p99_ttft_ms"), "0.0")}",
                $"{F(Json.Number(root, "median_tpot_ms"), "0.00")} / {F(Json.Number(root, "p99_tpot_ms"), "0.00")}",
                $"{F(Json.Number(root, "median_e2el_ms"), "0.0")} / {F(Json.Number(root, "p99_e2el_ms"), "0.0")}",
                F(Json.Number(root, "elapsed_time"), "0.00")]]);
        if (Json.Text(own, "memory_bandwidth_floor_note") is { } note)
            h.Paragraph("Floor: " + note, "note");
    }

    private static void ThroughputBars(HtmlBuilder h, IReadOnlyList<ResultDocument> results)
    {
        h.Heading(2, "Throughput results");
        var labels = results.Select(r => r.QualifiedName).ToList();
        h.Chart(new ChartSpec("throughput-output", "Output tok/s", "", "output tok/s", ChartStyle.Bar,
            [new ChartSeries("output tok/s", labels.Select((_, i) => (double)i).ToList(), results.Select(r => Json.Number(r.Root, "output_throughput") ?? 0).ToList())],
            labels));
    }

    private static void Serve(HtmlBuilder h, ResultDocument r)
    {
        var root = r.Root;
        var own = r.Own;
        h.Paragraph($"Model {Json.Text(root, "model_id")}, dataset {Json.Text(own, "dataset_name")}, {Json.Text(root, "num_prompts")} prompts, request rate {Json.Text(root, "request_rate")}, max concurrency {Json.Text(root, "max_concurrency") ?? "none"}; {(Json.Bool(own, "serving_constraints", "valid") == true ? "meets" : "does not meet")} the serving constraints.");
        var records = RequestRecords(r);
        if (records is null)
        {
            h.Paragraph($"No per-request records beside this file ({RequestsPath(r)}): the CDFs need them.", "note");
        }
        else
        {
            var ok = records.Where(x => Json.Bool(x, "success") != false).ToList();
            Cdf(h, "serve-ttft-cdf", "TTFT", ok.Select(x => Json.Number(x, "ttft_ms")));
            Cdf(h, "serve-tpot-cdf", "TPOT", ok.Select(x => Json.Number(x, "tpot_ms")));
            Cdf(h, "serve-itl-cdf", "ITL", ok.SelectMany(x => Json.Array(x, "itl_ms").Select(n => n is JsonValue v && v.TryGetValue<double>(out var d) ? d : (double?)null)));
        }

        h.Table(
            ["metric", "mean", "median", "p99"],
            LatencyMetrics.Where(m => root.ContainsKey($"mean_{m}_ms")).Select(m => (IReadOnlyList<string>)[
                m.ToUpperInvariant() + " (ms)", F(Json.Number(root, $"mean_{m}_ms"), "0.00"), F(Json.Number(root, $"median_{m}_ms"), "0.00"), F(Json.Number(root, $"p99_{m}_ms"), "0.00")]),
            "Latencies");
        h.Pairs(
            [
                ("output tok/s", F(Json.Number(root, "output_throughput"), "0.0")),
                ("total tok/s", F(Json.Number(root, "total_token_throughput"), "0.0")),
                ("requests/s", F(Json.Number(root, "request_throughput"), "0.00")),
                ("completed / failed", $"{Json.Text(root, "completed")} / {Json.Text(root, "failed")}"),
                ("duration (s)", F(Json.Number(root, "duration"), "0.00")),
                ("J per output token", F(Json.Number(own, "gpu_telemetry", "joules_per_output_token"), "0.000")),
                ("fraction of floor", "- (bench serve does not know the server's model bytes)"),
            ],
            "Throughput");
        var charted = TelemetryCharts(h, r, "the whole bench serve run, warm-up requests included");
        Health(h, Json.Array(own, "gpu_telemetry", "gpus").OfType<JsonObject>().ToList(), charted);
    }

    private static void Cdf(HtmlBuilder h, string id, string name, IEnumerable<double?> values)
    {
        var sorted = values.OfType<double>().Order().ToList();
        if (sorted.Count == 0)
        {
            h.Paragraph($"No {name} values in the per-request records.", "note");
            return;
        }

        var ys = sorted.Select((_, i) => (i + 1.0) / sorted.Count).ToList();
        h.Chart(new ChartSpec(id, $"{name} CDF ({sorted.Count} values)", $"{name} (ms)", "fraction of requests", ChartStyle.Cdf,
            [new ChartSeries(name, [sorted[0], .. sorted], [0.0, .. ys])]));
    }

    public static string RequestsPath(ResultDocument r) =>
        Path.Combine(Path.GetDirectoryName(r.Path) ?? "", Path.GetFileNameWithoutExtension(r.Path) + ".requests.jsonl");

    /// <summary>NAME.requests.jsonl beside NAME.json, or null when there is none; a bad line is a one-sentence error.</summary>
    public static IReadOnlyList<JsonObject>? RequestRecords(ResultDocument r)
    {
        var path = RequestsPath(r);
        if (!File.Exists(path))
            return null;
        var list = new List<JsonObject>();
        var lineNumber = 0;
        foreach (var line in File.ReadLines(path))
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line))
                continue;
            try
            {
                if (JsonNode.Parse(line) is JsonObject o)
                    list.Add(o);
            }
            catch (JsonException ex)
            {
                throw new ResultFileException($"{path} line {lineNumber} is not valid JSON (truncated file?).", ex);
            }
        }

        return list;
    }

    /// <summary>Several serve results: output tok/s against P99 TTFT and TPOT, in the order of their throughput.</summary>
    private static void ServeFrontier(HtmlBuilder h, IReadOnlyList<ResultDocument> serves)
    {
        h.Heading(2, "Serving: throughput against tail latency");
        var points = serves.Select(s => (Tp: Json.Number(s.Root, "output_throughput") ?? 0, Ttft: Json.Number(s.Root, "p99_ttft_ms") ?? 0, Tpot: Json.Number(s.Root, "p99_tpot_ms") ?? 0, s.QualifiedName))
            .OrderBy(p => p.Tp).ToList();
        h.Chart(new ChartSpec("serve-throughput-vs-p99-ttft", "Output tok/s against P99 TTFT", "P99 TTFT (ms)", "output tok/s", ChartStyle.Line,
            [new ChartSeries("serve results", points.Select(p => p.Ttft).ToList(), points.Select(p => p.Tp).ToList())]));
        h.Chart(new ChartSpec("serve-throughput-vs-p99-tpot", "Output tok/s against P99 TPOT", "P99 TPOT (ms)", "output tok/s", ChartStyle.Line,
            [new ChartSeries("serve results", points.Select(p => p.Tpot).ToList(), points.Select(p => p.Tp).ToList())]));
        h.Table(["result", "output tok/s", "P99 TTFT (ms)", "P99 TPOT (ms)"],
            points.Select(p => (IReadOnlyList<string>)[p.QualifiedName, F(p.Tp, "0.0"), F(p.Ttft, "0.0"), F(p.Tpot, "0.00")]));
    }

    /// <summary>A kind without charts of its own (latency): its top-level figures as a table.</summary>
    private static void Generic(HtmlBuilder h, ResultDocument r)
    {
        h.Pairs(r.Root.Where(p => p.Value is JsonValue && p.Key is not "schema_version" and not "result_kind")
            .Select(p => (p.Key, (string?)(p.Value is JsonValue v && v.GetValueKind() == JsonValueKind.Number ? F(v.GetValue<double>(), "0.###") : p.Value!.ToString()))), "Figures");
        h.Paragraph($"This report has no charts for {r.Kind} results yet; the table lists the file's top-level figures.", "note");
    }

    private static string Compact(JsonNode node) => node.ToJsonString(new JsonSerializerOptions { WriteIndented = false });

    private static string Percent(double? fraction) => fraction is { } f ? (f * 100).ToString("0.0", CultureInfo.InvariantCulture) + " %" : "-";

    private static string Slug(string s) => string.Join('-', new string(s.ToLowerInvariant().Select(c => char.IsAsciiLetterOrDigit(c) ? c : '-').ToArray()).Split('-', StringSplitOptions.RemoveEmptyEntries));
}
