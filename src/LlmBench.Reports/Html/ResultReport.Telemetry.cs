using System.Text.Json.Nodes;
using LlmBench.Reports.Reading;
using static LlmBench.Reports.Html.HtmlBuilder;

namespace LlmBench.Reports.Html;

/// <summary>The telemetry charts of <see cref="ResultReport"/>: GPU temperature, power, SM clock and memory over time.</summary>
public static partial class ResultReport
{
    private const double GiB = 1024.0 * 1024 * 1024;

    private static readonly string[] TelemetryFields = ["temperature", "power", "SM clock", "memory used"];

    /// <summary>
    /// One chart per field from the result's optional "telemetry" section, a line per GPU; draws nothing and returns
    /// false when the result has no samples (files written before the section existed, CPU runs, remote servers).
    /// </summary>
    /// <param name="span">What the time axis covers, for the note: "the whole run, warm-up included".</param>
    private static bool TelemetryCharts(HtmlBuilder h, ResultDocument r, string span)
    {
        var gpus = Json.Array(r.Own, "telemetry", "gpus").OfType<JsonObject>().Where(g => Json.Array(g, "t_s").Count > 0).ToList();
        if (gpus.Count == 0)
            return false;
        h.Heading(3, "GPU telemetry over time");
        var drawn = new[]
        {
            OverTime(h, gpus, "gpu-temperature", "GPU temperature", "temperature (°C)", "temperature_c", 1),
            OverTime(h, gpus, "gpu-power", "GPU power", "power (W)", "power_w", 1),
            OverTime(h, gpus, "gpu-sm-clock", "SM clock", "SM clock (MHz)", "sm_clock_mhz", 1),
            OverTime(h, gpus, "gpu-memory", "GPU memory used", "memory used (GiB)", "memory_used_bytes", 1 / GiB),
        };
        var missing = TelemetryFields.Where((_, i) => !drawn[i]).ToList();
        var interval = gpus.Select(g => Json.Number(g, "interval_s")).OfType<double>().DefaultIfEmpty(1).Max();
        h.Paragraph($"NVML samples over {span}, one point per {F(interval)} s: the interval's mean temperature, power and SM clock, and the most memory used; time counts from the first sample." +
            (missing.Count > 0 ? $" Not reported by the GPU, so not drawn: {string.Join(", ", missing)}." : ""), "note");
        return true;
    }

    private static bool OverTime(HtmlBuilder h, IReadOnlyList<JsonObject> gpus, string id, string title, string yLabel, string key, double scale)
    {
        var series = gpus.Select(g =>
        {
            var t = Json.Array(g, "t_s");
            var v = Json.Array(g, key);
            var points = t.Select((x, i) => (X: Number(x), Y: i < v.Count ? Number(v[i]) : null))
                .Where(p => p.X is not null && p.Y is not null).ToList();
            return new ChartSeries($"{Json.Text(g, "gpu_index")}: {Json.Text(g, "name")}", points.Select(p => p.X!.Value).ToList(), points.Select(p => p.Y!.Value * scale).ToList());
        }).Where(s => s.X.Count > 0).ToList();
        if (series.Count == 0)
            return false;
        h.Chart(new ChartSpec(id, title + " over time", "time (s)", yLabel, ChartStyle.Line, series, Markers: false));
        return true;
    }

    private static double? Number(JsonNode? node) => node is JsonValue v && v.TryGetValue<double>(out var d) ? d : null;
}
