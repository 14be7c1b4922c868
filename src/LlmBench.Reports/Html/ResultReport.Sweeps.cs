using System.Text.Json.Nodes;
using LlmBench.Reports.Reading;
using static LlmBench.Reports.Html.HtmlBuilder;

namespace LlmBench.Reports.Html;

/// <summary>The sweep sections of <see cref="ResultReport"/>: one sweep's charts and table, and several sweeps drawn together.</summary>
public static partial class ResultReport
{
    /// <summary>
    /// Several sweeps (e.g. CUDA graphs and --enforce-eager, or two GPUs) in one chart: a line per result, backend and
    /// length pair, against the batch size.
    /// </summary>
    private static void SweepOverlay(HtmlBuilder h, IReadOnlyList<ResultDocument> sweeps)
    {
        h.Heading(2, "Sweeps together");
        var lines = sweeps.SelectMany(r => Json.Array(r.Root, "points").OfType<JsonObject>()
                .Where(p => Json.Text(p, "status") == "ok")
                .Select(p => (Name: $"{r.QualifiedName}: {Json.Text(p, "backend") ?? "?"} {Json.Text(p, "input_len")}/{Json.Text(p, "output_len")}", Point: p)))
            .GroupBy(x => x.Name)
            .ToList();
        List<ChartSeries> ByBatch(string key) => lines.Select(g =>
        {
            var sorted = g.Select(x => x.Point).Where(p => Json.Number(p, key) is not null).OrderBy(p => Json.Number(p, "batch_size")).ToList();
            return new ChartSeries(g.Key, sorted.Select(p => Json.Number(p, "batch_size")!.Value).ToList(), sorted.Select(p => Json.Number(p, key)!.Value).ToList());
        }).Where(series => series.X.Count > 0).ToList();
        if (ByBatch("output_throughput") is { Count: > 0 } tp)
            h.Chart(new ChartSpec("sweeps-throughput-vs-batch", "Output tok/s against batch size, all sweeps", "batch size", "output tok/s", ChartStyle.Line, tp, LogX: true));
        if (ByBatch("mean_tpot_ms") is { Count: > 0 } tpot)
            h.Chart(new ChartSpec("sweeps-tpot-vs-batch", "Mean TPOT against batch size, all sweeps", "batch size", "mean TPOT (ms)", ChartStyle.Line, tpot, LogX: true));
    }

    private static void Sweep(HtmlBuilder h, ResultDocument r)
    {
        var points = Json.Array(r.Root, "points").OfType<JsonObject>().ToList();
        var ok = points.Where(p => Json.Text(p, "status") == "ok").ToList();
        var inputs = ok.Select(p => Json.Number(p, "input_len")).OfType<double>().Distinct().Order().ToList();
        var outputs = ok.Select(p => Json.Number(p, "output_len")).OfType<double>().Distinct().Order().ToList();
        h.Paragraph($"{points.Count} points, {ok.Count} ok; model {Json.Text(r.Root, "model", "name") ?? Json.Text(r.Root, "model")}." +
            (Json.Bool(r.Root, "incomplete") == true ? " The sweep is incomplete." : ""));

        // One line per backend (and per input/output length when the sweep has several), against the batch size.
        string LineName(JsonObject p) => (Json.Text(p, "backend") ?? "?") +
            (inputs.Count > 1 ? $" in={Json.Text(p, "input_len")}" : "") + (outputs.Count > 1 ? $" out={Json.Text(p, "output_len")}" : "");
        List<ChartSeries> ByBatch(string key) => ok.GroupBy(LineName).Select(g =>
        {
            var sorted = g.Where(p => Json.Number(p, key) is not null).OrderBy(p => Json.Number(p, "batch_size")).ToList();
            return new ChartSeries(g.Key, sorted.Select(p => Json.Number(p, "batch_size")!.Value).ToList(), sorted.Select(p => Json.Number(p, key)!.Value).ToList());
        }).Where(s => s.X.Count > 0).ToList();
        var logX = ok.Select(p => Json.Number(p, "batch_size")).OfType<double>().DefaultIfEmpty(1).Max() >= 16;
        if (ByBatch("output_throughput") is { Count: > 0 } tp)
            h.Chart(new ChartSpec("sweep-throughput-vs-batch", "Output tok/s against batch size", "batch size", "output tok/s", ChartStyle.Line, tp, LogX: logX));
        if (ByBatch("mean_tpot_ms") is { Count: > 0 } tpot)
            h.Chart(new ChartSpec("sweep-tpot-vs-batch", "Mean TPOT against batch size", "batch size", "mean TPOT (ms)", ChartStyle.Line, tpot, LogX: logX));
        if (ByBatch("fraction_of_floor") is { Count: > 0 } floor)
            h.Chart(new ChartSpec("sweep-floor-vs-batch", "Fraction of the memory-bandwidth floor against batch size", "batch size", "fraction of floor", ChartStyle.Line, floor, LogX: logX));
        if (inputs.Count > 1)
        {
            // At each backend's smallest batch size: how the prompt length moves TTFT and prefill speed.
            List<ChartSeries> ByInput(string key) => ok.GroupBy(p => Json.Text(p, "backend") ?? "?").Select(g =>
            {
                var batch = g.Min(p => Json.Number(p, "batch_size") ?? 0);
                var sorted = g.Where(p => (Json.Number(p, "batch_size") ?? 0) == batch && Json.Number(p, key) is not null)
                    .GroupBy(p => Json.Number(p, "input_len")!.Value).Select(x => x.First()).OrderBy(p => Json.Number(p, "input_len")).ToList();
                return new ChartSeries($"{g.Key} (batch {F(batch)})", sorted.Select(p => Json.Number(p, "input_len")!.Value).ToList(), sorted.Select(p => Json.Number(p, key)!.Value).ToList());
            }).Where(s => s.X.Count > 0).ToList();
            if (ByInput("mean_ttft_ms") is { Count: > 0 } ttft)
                h.Chart(new ChartSpec("sweep-ttft-vs-input", "Mean TTFT against input length", "input length (tokens)", "mean TTFT (ms)", ChartStyle.Line, ttft, LogX: true));
            if (ByInput("prefill_tokens_per_s") is { Count: > 0 } prefill)
                h.Chart(new ChartSpec("sweep-prefill-vs-input", "Prefill tok/s against input length", "input length (tokens)", "prefill tok/s", ChartStyle.Line, prefill, LogX: true));
        }

        // With --gpus each point is the GPUs' total, followed by each GPU's own row; older files have no "gpus".
        bool perGpu = points.Any(p => p["gpus"] is JsonArray);
        if (perGpu && ok.SelectMany(p => Json.Array(p, "gpus").OfType<JsonObject>()).Where(g => Json.Text(g, "status") == "ok")
                .GroupBy(g => $"{Json.Text(g, "device") ?? "?"} {Json.Text(g, "backend") ?? "?"}" + (inputs.Count > 1 ? $" in={Json.Text(g, "input_len")}" : "") + (outputs.Count > 1 ? $" out={Json.Text(g, "output_len")}" : ""))
                .Select(g => g.Where(p => Json.Number(p, "output_throughput") is not null).OrderBy(p => Json.Number(p, "batch_size")).ToList())
                .Where(g => g.Count > 0)
                .Select(g => new ChartSeries($"{Json.Text(g[0], "device")}: {Json.Text(g[0], "backend")}", g.Select(p => Json.Number(p, "batch_size")!.Value).ToList(), g.Select(p => Json.Number(p, "output_throughput")!.Value).ToList()))
                .ToList() is { Count: > 0 } each)
            h.Chart(new ChartSpec("sweep-gpus-throughput-vs-batch", "Output tok/s of each GPU against batch size", "batch size", "output tok/s", ChartStyle.Line, each, LogX: logX));
        IReadOnlyList<string> Row(JsonObject p, string? gpu, string? verdict) => [
            Json.Text(p, "backend") ?? "-", .. perGpu ? [gpu ?? "-"] : Array.Empty<string>(), Json.Text(p, "batch_size") ?? "-", Json.Text(p, "input_len") ?? "-", Json.Text(p, "output_len") ?? "-",
            Json.Text(p, "status") ?? "-",
            F(Json.Number(p, "output_throughput"), "0.0"),
            Percent(Json.Number(p, "fraction_of_floor")),
            $"{F(Json.Number(p, "mean_ttft_ms"), "0.0")} / {F(Json.Number(p, "p99_ttft_ms"), "0.0")}",
            $"{F(Json.Number(p, "mean_tpot_ms"), "0.00")} / {F(Json.Number(p, "p99_tpot_ms"), "0.00")}",
            F(Json.Number(p, "prefill_tokens_per_s"), "0"),
            F(Json.Number(p, "gpu_utilization_pct"), "0.0"),
            F(Json.Number(p, "gpu_memory_used_bytes") / (1024.0 * 1024 * 1024), "0.00"),
            .. perGpu ? [verdict ?? ""] : Array.Empty<string>()];
        string Verdict(JsonObject p) => Json.Bool(p, "gpu_agreement", "agree") switch
        {
            true => "yes",
            false => $"NO, slow: {Json.Text(p, "gpu_agreement", "slow_gpu")}",
            null => "",
        };
        string Deviation(JsonObject g) => Json.Number(g, "deviation_from_mean_pct") is { } d ? d.ToString("+0.0;-0.0;0.0", System.Globalization.CultureInfo.InvariantCulture) + " %" : "";
        h.Table(
            ["backend", .. perGpu ? ["GPU"] : Array.Empty<string>(), "batch", "input", "output", "status", "output tok/s", "fraction of floor", "TTFT mean / p99 (ms)", "TPOT mean / p99 (ms)", "prefill tok/s", "GPU util (%)", "GPU memory (GiB)",
                .. perGpu ? ["GPUs agree (±5 %) / vs mean"] : Array.Empty<string>()],
            points.SelectMany(p => (IEnumerable<IReadOnlyList<string>>)[
                Row(p, p["gpus"] is JsonArray all ? $"all {all.Count}" : null, Verdict(p)),
                .. Json.Array(p, "gpus").OfType<JsonObject>().Select(g => Row(g, Json.Text(g, "device"), Deviation(g)))]),
            perGpu ? "Points: each point's total over the GPUs (tok/s summed, means averaged, p99s and peaks the worst GPU's), then each GPU's own" : "Points");
        if (Json.Text(r.Root, "gpu_agreement", "summary") is { } agreement)
            h.Paragraph(agreement);
        if (Json.At(r.Root, "best") is JsonNode best)
            h.Paragraph("Best: " + Compact(best), "note");
        if (Json.At(r.Root, "saturation") is JsonNode saturation)
            h.Paragraph("Saturation: " + Compact(saturation), "note");
        TelemetryCharts(h, r, "the whole sweep, every point's uncounted batch included");
    }
}
