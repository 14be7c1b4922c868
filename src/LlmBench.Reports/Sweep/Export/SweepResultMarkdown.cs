using System.Globalization;
using System.Text;
using LlmBench.Reports.Offline.Export;

namespace LlmBench.Reports.Sweep.Export;

/// <summary>`sweep.md`: the grid as one table, then the choices, the platform and the configuration.</summary>
public static class SweepResultMarkdown
{
    public static string Render(SweepResult r)
    {
        var b = new StringBuilder();
        void Line(FormattableString text) => b.AppendLine(text.ToString(CultureInfo.InvariantCulture));
        Line($"# llmbench sweep: {r.Model.Name}{(r.Incomplete ? " (incomplete)" : "")}");
        b.AppendLine();
        b.Append(MarkdownParts.DateAndModel(r.Date, r.StartupSeconds, r.Model));
        b.AppendLine("- Each point: one lockstep batch (all requests added at once, greedy, ignore_eos) after one short uncounted batch");
        b.AppendLine();
        b.Append(Table(r));
        b.AppendLine();
        foreach (var line in SweepChoiceText.Lines(r.Choices))
            b.AppendLine("- " + line);
        b.Append(MarkdownParts.Platform(r.Platform, r.Configuration));
        return b.ToString();
    }

    /// <summary>The grid as a Markdown table, one row per point.</summary>
    public static string Table(SweepResult r)
    {
        var t = new StringBuilder();
        void TLine(FormattableString text) => t.AppendLine(text.ToString(CultureInfo.InvariantCulture));
        t.AppendLine("| Framework | Batch Size | Input | Output | Toks/sec | RPS | Avg. TTFT | Avg. TPOT | GPU util | % of floor |");
        t.AppendLine("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |");
        foreach (var p in r.Points)
        {
            if (p.Status != SweepPointStatus.Ok)
            {
                TLine($"| {p.Backend} | {p.BatchSize} | {p.InputLen} | {p.OutputLen} | {p.Note} | | | | | |");
                continue;
            }

            TLine($"| {p.Backend} | {p.BatchSize} | {p.InputLen} | {p.OutputLen} | {p.OutputThroughput:0.0} | {p.RequestsPerSecond:0.00} | {p.MeanTtftMs:0.0} ms | {p.MeanTpotMs:0.00} ms | {Percent(p.GpuUtilizationPct / 100)} | {Percent(p.FractionOfFloor)} |");
        }

        return t.ToString();
    }

    private static string Percent(double? share) => share is { } s ? (s * 100).ToString("0.0", CultureInfo.InvariantCulture) + " %" : "n/a";

    public static void Write(SweepResult result, Stream destination) => MarkdownParts.Write(Render(result), destination);
}

/// <summary>The choices as sentences, for the terminal and the Markdown alike.</summary>
public static class SweepChoiceText
{
    public static IReadOnlyList<string> Lines(SweepChoices c)
    {
        static string Describe(SweepPoint p) => string.Create(CultureInfo.InvariantCulture,
            $"batch {p.BatchSize}, input {p.InputLen}, output {p.OutputLen}: {p.OutputThroughput:0.0} output tok/s, p99 TTFT {p.P99TtftMs:0.0} ms, p99 TPOT {p.P99TpotMs:0.00} ms");
        var lines = new List<string> { c.Best is null ? "Best: no point was measured." : "Best output throughput: " + Describe(c.Best) };
        foreach (var s in c.Saturation)
            lines.Add(string.Create(CultureInfo.InvariantCulture, $"Saturation at input {s.InputLen}, output {s.OutputLen}: batch {s.BatchSize} (the smallest within 5 % of the best at these lengths, {s.OutputThroughput:0.0} tok/s)"));
        if (c.Slo.Any)
        {
            var slo = string.Join(" and ", new[]
            {
                c.Slo.TpotMs is { } t ? string.Create(CultureInfo.InvariantCulture, $"p99 TPOT ≤ {t} ms") : null,
                c.Slo.TtftMs is { } f ? string.Create(CultureInfo.InvariantCulture, $"p99 TTFT ≤ {f} ms") : null,
            }.Where(s => s is not null));
            lines.Add(c.SloChoice is null ? $"No point meets {slo}." : $"Best within {slo}: " + Describe(c.SloChoice));
        }

        return lines;
    }
}
