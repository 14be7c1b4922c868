using System.Globalization;
using System.Text;

namespace LlmBench.Reports.Offline.Export;

/// <summary>`llmbench run`'s Markdown: the score, the verdict, per-engine figures, GPU health and the platform.</summary>
public static class RunResultMarkdown
{
    public static string Render(RunResult r)
    {
        var b = new StringBuilder();
        void Line(FormattableString text) => b.AppendLine(text.ToString(CultureInfo.InvariantCulture));
        Line($"# llmbench run: {r.Model.Name}, {r.TotalOutputTokensPerSecond:0.0} output tok/s");
        b.AppendLine();
        Line($"- Verdict: **{(r.Valid ? "valid" : "not valid")}**{(r.Incomplete ? " (incomplete)" : "")}");
        Line($"- Date: {r.Date}; window {r.RequestedDurationSeconds:0.#} s requested; start-up {r.StartupSeconds:0.0} s");
        Line($"- Model: {r.Model.Description}{(r.Model.DummyWeights ? " — dummy weights: the speed is real, the text is not" : "")}");
        if (r.Model.Notice is not null)
            Line($"- Note: {r.Model.Notice}");
        Line($"- Workload: {r.Workload.Description}, temperature {r.Workload.Temperature:0.##}, ignore_eos");
        Line($"- Generations/s: {r.TotalGenerationsPerSecond:0.00}; output tokens in the window: {r.TotalOutputTokens}");
        b.AppendLine();
        b.AppendLine("| device | output tok/s | gen/s | window s | TTFT p50 / p99 ms | TPOT p50 / p99 ms | peak KV | preemptions | J/token | tok/J | valid |");
        b.AppendLine("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |");
        foreach (var e in r.Engines)
        {
            Line($"| {e.Device} | {e.OutputTokensPerSecond:0.0} | {e.GenerationsPerSecond:0.00} | {e.WindowSeconds:0.0} | {Latency(e.Latency.TtftMs, "0.0")} | {Latency(e.Latency.TpotMs, "0.00")} | {e.Activity.PeakKvCacheUsage * 100:0.#} % | {e.Activity.Preemptions} | {Opt(e.JoulesPerOutputToken, "0.0000")} | {Opt(e.OutputTokensPerJoule, "0.0")} | {(e.Verdict.Valid ? "yes" : "no")} |");
        }

        foreach (var e in r.Engines)
        {
            b.AppendLine();
            Line($"## {e.Device}");
            b.AppendLine();
            foreach (var reason in e.Verdict.Reasons)
                Line($"- Not valid: {reason}");
            foreach (var note in e.Verdict.Notes)
                Line($"- {note}");
            if (e.Floor is { } f)
                Line($"- Fraction of the memory-bandwidth floor: {f.FractionOfFloor * 100:0.0} % (floor {f.FloorOutputTokensPerSecond:0} tok/s at {f.BandwidthBytesPerSecond / 1e12:0.00} TB/s, {f.BandwidthSource})");
            if (e.Windows.Count > 0)
                Line($"- {e.Verdict.WindowSeconds:0.#} s slices (tok/s): {string.Join(", ", e.Windows.Select(w => w.OutputTokensPerSecond.ToString("0.0", CultureInfo.InvariantCulture)))}");
            if (e.Health is { } h)
            {
                Line($"- GPU {h.GpuIndex} {h.Name}: temperature mean {Opt(h.MeanTemperatureC, "0")} / max {Opt(h.MaxTemperatureC, "0")} °C; power mean {Opt(h.MeanPowerWatts, "0")} / max {Opt(h.MaxPowerWatts, "0")} W; SM clock mean {Opt(h.MeanSmClockMHz, "0")} / min {Opt(h.MinSmClockMHz, "0")} MHz; memory clock {Opt(h.MeanMemoryClockMHz, "0")} MHz");
                Line($"- Memory used: {Mib(h.MemoryUsedAtStartBytes)} MiB at start, {Mib(h.MemoryUsedAtEndBytes)} MiB at end, max {Opt(h.MaxMemoryUsedBytes / 1048576.0, "0")} MiB; energy {Opt(h.EnergyJoules, "0")} J ({h.EnergySource}); throttled {Opt(h.ThrottledShare * 100, "0.#")} % of samples");
            }
        }

        b.Append(MarkdownParts.Platform(r.Platform, r.Configuration));
        return b.ToString();
    }

    public static void Write(RunResult result, Stream destination) => MarkdownParts.Write(Render(result), destination);

    /// <summary>"p50 / p99", or n/a when no request finished inside the window.</summary>
    private static string Latency(Statistics.DistributionSummary s, string format) =>
        s.Count == 0 ? "n/a" : $"{s.Median.ToString(format, CultureInfo.InvariantCulture)} / {s.ValueAt(99).ToString(format, CultureInfo.InvariantCulture)}";

    private static string Opt(double? value, string format) => value?.ToString(format, CultureInfo.InvariantCulture) ?? "n/a";

    private static string Mib(long? bytes) => bytes is { } v ? (v / 1048576.0).ToString("0", CultureInfo.InvariantCulture) : "n/a";
}
