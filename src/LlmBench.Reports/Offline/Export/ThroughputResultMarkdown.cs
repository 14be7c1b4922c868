using System.Globalization;
using System.Text;

namespace LlmBench.Reports.Offline.Export;

/// <summary>`llmbench throughput`'s Markdown: the figures, the floor, and what to run to get them again.</summary>
public static class ThroughputResultMarkdown
{
    public static string Render(ThroughputResult r)
    {
        var b = new StringBuilder();
        void Line(FormattableString text) => b.AppendLine(text.ToString(CultureInfo.InvariantCulture));
        Line($"# llmbench throughput: {r.Model.Name}, {r.OutputTokensPerSecond:0.0} output tok/s{(r.Incomplete ? " (incomplete)" : "")}");
        b.AppendLine();
        b.Append(MarkdownParts.DateAndModel(r.Date, r.StartupSeconds, r.Model));
        Line($"- Workload: {r.Workload.Name}, {r.Workload.Description}, temperature {r.Workload.Temperature:0.##}, ignore_eos");
        b.AppendLine();
        b.AppendLine("| requests | elapsed s | req/s | output tok/s | total tok/s | TTFT p50 / p99 ms | TPOT p50 / p99 ms | peak KV | preemptions |");
        b.AppendLine("| --- | --- | --- | --- | --- | --- | --- | --- | --- |");
        Line($"| {r.CompletedRequests}/{r.Requests} | {r.ElapsedSeconds:0.000} | {r.RequestsPerSecond:0.00} | {r.OutputTokensPerSecond:0.0} | {r.TotalTokensPerSecond:0.0} | {r.Latency.TtftMs.Median:0.0} / {r.Latency.TtftMs.ValueAt(99):0.0} | {r.Latency.TpotMs.Median:0.00} / {r.Latency.TpotMs.ValueAt(99):0.00} | {r.Activity.PeakKvCacheUsage * 100:0.#} % | {r.Activity.Preemptions} |");
        b.AppendLine();
        if (r.PerGpu is { } perGpu && r.Agreement is { } agreement)
        {
            b.AppendLine("| GPU | output tok/s | vs mean | req/s | elapsed s |");
            b.AppendLine("| --- | --- | --- | --- | --- |");
            for (int i = 0; i < perGpu.Count; i++)
                Line($"| {perGpu[i].Platform.Device} | {perGpu[i].OutputTokensPerSecond:0.0} | {agreement.DeviationsPercent[i]:+0.0;-0.0;0.0} % | {perGpu[i].RequestsPerSecond:0.00} | {perGpu[i].ElapsedSeconds:0.000} |");
            b.AppendLine();
            b.Append("- ").AppendLine(agreement.Summary());
        }

        if (r.Floor is { } f)
            Line($"- Fraction of the memory-bandwidth floor: {f.FractionOfFloor * 100:0.0} % (floor {f.FloorOutputTokensPerSecond:0} tok/s at {f.BandwidthBytesPerSecond / 1e12:0.00} TB/s, {f.BandwidthSource})");
        else
            Line($"- Fraction of the memory-bandwidth floor: {r.FloorNote}");
        b.Append(MarkdownParts.Platform(r.Platform, r.Configuration));
        return b.ToString();
    }

    public static void Write(ThroughputResult result, Stream destination) => MarkdownParts.Write(Render(result), destination);
}
