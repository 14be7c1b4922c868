using System.Globalization;
using System.Text;
using LlmBench.Reports.Offline.Export;
using LlmBench.Reports.Statistics;

namespace LlmBench.Reports.Latency.Export;

/// <summary>`llmbench latency`'s Markdown: latency, prefill and decode percentiles, then platform and configuration.</summary>
public static class LatencyResultMarkdown
{
    public static string Render(LatencyResult r)
    {
        var b = new StringBuilder();
        void Line(FormattableString text) => b.AppendLine(text.ToString(CultureInfo.InvariantCulture));
        Line($"# llmbench latency: {r.Model.Name}, {r.LatencySeconds.Mean * 1000:0.0} ms per batch{(r.Incomplete ? " (incomplete)" : "")}");
        b.AppendLine();
        b.Append(MarkdownParts.DateAndModel(r.Date, r.StartupSeconds, r.Model));
        Line($"- Batch {r.BatchSize}, input {r.InputLen}, output {r.OutputLen} tokens, greedy, ignore_eos; {r.Iterations} iterations after {r.WarmupIterations} warm-up");
        Line($"- Decode: {r.DecodeTokensPerSecond:0.0} tok/s");
        b.AppendLine();
        b.AppendLine("| | mean | " + string.Join(" | ", LatencyResult.Percentiles.Select(p => "p" + PercentileValue.PercentileLabel(p))) + " |");
        b.AppendLine("| --- | --- | " + string.Join(" | ", LatencyResult.Percentiles.Select(_ => "---")) + " |");
        Row(b, "latency (ms)", r.LatencySeconds, 1000);
        Row(b, "TTFT, prefill (ms)", r.TtftMs, 1);
        Row(b, "TPOT, decode step (ms)", r.TpotMs, 1);
        b.Append(MarkdownParts.Platform(r.Platform, r.Configuration));
        return b.ToString();
    }

    private static void Row(StringBuilder b, string name, DistributionSummary s, double scale) =>
        b.AppendLine(string.Create(CultureInfo.InvariantCulture, $"| {name} | {s.Mean * scale:0.00} | ") + string.Join(" | ", s.Percentiles.Select(p => (p.Value * scale).ToString("0.00", CultureInfo.InvariantCulture))) + " |");

    public static void Write(LatencyResult result, Stream destination) => MarkdownParts.Write(Render(result), destination);
}
