using System.Globalization;
using System.Text;
using LlmBench.Reports.Offline;
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
        if (r.Backends.Count > 1 || r.Backends.Any(x => x.Error is not null))
        {
            b.AppendLine("Backends (llmbench × = llmbench's output tok/s at the same batch and lengths over the row's):");
            b.AppendLine();
            b.Append(Backends(r));
            b.AppendLine();
        }

        foreach (var line in SweepChoiceText.Lines(r.Choices))
            b.AppendLine("- " + line);
        if (SweepGpuAgreement.Of(r.Points) is { } agreement)
            b.AppendLine("- " + agreement.Summary() + " Totals: tok/s and requests/s are the GPUs' sums, mean TTFT/TPOT their mean, p99s the worst GPU's.");
        b.Append(MarkdownParts.Platform(r.Platform, r.Configuration));
        return b.ToString();
    }

    /// <summary>
    /// The grid as a Markdown table, one row per point. With several backends it is the framework × batch-size table:
    /// rows grouped by lengths, then batch, the backends side by side, with llmbench's tok/s over each row's; a Compile
    /// column appears when a backend compiled. With --gpus a GPU column: each point's total ("all N") followed by one
    /// row per GPU, and a last column with the GPUs' verdict on the total row and each GPU's deviation from their mean.
    /// </summary>
    public static string Table(SweepResult r)
    {
        var t = new StringBuilder();
        void TLine(FormattableString text) => t.AppendLine(text.ToString(CultureInfo.InvariantCulture));
        var backends = r.Points.Select(p => p.Backend).Distinct().ToList();
        bool several = backends.Count > 1, compiled = r.Points.Any(p => p.CompileSeconds is not null), gpus = r.Points.Any(p => p.PerGpu is not null);
        string extra = (several ? " llmbench × |" : "") + (compiled ? " Compile |" : "") + (gpus ? " GPUs agree |" : "");
        t.AppendLine($"| Framework |{(gpus ? " GPU |" : "")} Batch Size | Input | Output | Toks/sec | RPS | Avg. TTFT | Avg. TPOT | GPU util | % of floor |" + extra);
        t.AppendLine($"| --- |{(gpus ? " --- |" : "")} --- | --- | --- | --- | --- | --- | --- | --- | --- |" + string.Concat(Enumerable.Repeat(" --- |", (several ? 1 : 0) + (compiled ? 1 : 0) + (gpus ? 1 : 0))));
        var rows = several
            ? r.Points.Select((p, i) => (p, i)).OrderBy(x => FirstIndex(r.Points, x.p)).ThenBy(x => x.p.BatchSize).ThenBy(x => backends.IndexOf(x.p.Backend)).Select(x => x.p)
            : r.Points;
        void Row(SweepPoint p, string gpu, string verdict)
        {
            string input = p.InputLenMax > p.InputLen ? $"{p.InputLen}–{p.InputLenMax}" : $"{p.InputLen}";
            string head = gpus ? $"| {p.Backend} | {gpu} |" : $"| {p.Backend} |";
            string last = gpus ? $" {verdict} |" : "";
            if (p.Status != SweepPointStatus.Ok)
            {
                TLine($"{head} {p.BatchSize} | {input} | {p.OutputLen} | {p.Note} | | | | | |{(several ? " |" : "")}{(compiled ? $" {Compile(p)} |" : "")}{last}");
                return;
            }

            string tail = (several ? $" {Ratio(p)} |" : "") + (compiled ? $" {Compile(p)} |" : "") + last;
            TLine($"{head} {p.BatchSize} | {input} | {p.OutputLen} | {p.OutputThroughput:0.0} | {p.RequestsPerSecond:0.00} | {p.MeanTtftMs:0.0} ms | {p.MeanTpotMs:0.00} ms | {Percent(p.GpuUtilizationPct / 100)} | {Percent(p.FractionOfFloor)} |{tail}");
        }

        foreach (var p in rows)
        {
            Row(p, p.PerGpu is { } all ? $"all {all.Count}" : "", Verdict(p.Agreement));
            for (int i = 0; i < (p.PerGpu?.Count ?? 0); i++)
                Row(p.PerGpu![i], p.PerGpu[i].Device ?? "?", p.Agreement is { } a ? string.Create(CultureInfo.InvariantCulture, $"{a.DeviationsPercent[i]:+0.0;-0.0;0.0} %") : "");
        }

        return t.ToString();
    }

    private static string Verdict(GpuAgreement? a) =>
        a is null ? "" : a.SlowIndex is { } slow ? $"NO, slow: {a.Devices[slow]}" : "yes";

    /// <summary>Where the point's lengths first appear in the grid, so groups keep the grid's order.</summary>
    private static int FirstIndex(IReadOnlyList<SweepPoint> points, SweepPoint p)
    {
        for (int i = 0; i < points.Count; i++)
        {
            if (points[i].InputLen == p.InputLen && points[i].InputLenMax == p.InputLenMax && points[i].OutputLen == p.OutputLen)
                return i;
        }

        return points.Count;
    }

    private static string Ratio(SweepPoint p) => p.LlmbenchRatio is { } ratio ? ratio.ToString("0.00", CultureInfo.InvariantCulture) + "×" : "";

    private static string Compile(SweepPoint p) => p.CompileSeconds is { } s
        ? string.Create(CultureInfo.InvariantCulture, $"{s:0.0} s{(p.CompileMode is { } m ? $" ({m})" : "")}")
        : "";

    /// <summary>The backends as list items: what ran, its start-up, and why it failed.</summary>
    public static string Backends(SweepResult r)
    {
        var b = new StringBuilder();
        foreach (var backend in r.Backends)
        {
            b.Append(CultureInfo.InvariantCulture, $"- {backend.Name}: {backend.Description ?? "did not start"}");
            if (backend.StartupSeconds is { } startup)
                b.Append(CultureInfo.InvariantCulture, $", start-up {startup:0.0} s");
            if (backend.Error is { } error)
                b.Append(CultureInfo.InvariantCulture, $"; FAILED: {error}");
            b.AppendLine();
        }

        return b.ToString();
    }

    private static string Percent(double? share) => share is { } s ? (s * 100).ToString("0.0", CultureInfo.InvariantCulture) + " %" : "n/a";

    public static void Write(SweepResult result, Stream destination) => MarkdownParts.Write(Render(result), destination);
}

/// <summary>The choices as sentences, for the terminal and the Markdown alike.</summary>
public static class SweepChoiceText
{
    public static IReadOnlyList<string> Lines(SweepChoices c)
    {
        bool several = c.Saturation.Select(p => p.Backend).Distinct().Count() > 1;
        string Backend(SweepPoint p) => several ? p.Backend + ", " : "";
        static string Input(SweepPoint p) => p.InputLenMax > p.InputLen ? $"{p.InputLen}–{p.InputLenMax}" : $"{p.InputLen}";
        string Describe(SweepPoint p) => string.Create(CultureInfo.InvariantCulture,
            $"{Backend(p)}batch {p.BatchSize}, input {Input(p)}, output {p.OutputLen}: {p.OutputThroughput:0.0} output tok/s, p99 TTFT {p.P99TtftMs:0.0} ms, p99 TPOT {p.P99TpotMs:0.00} ms");
        var lines = new List<string> { c.Best is null ? "Best: no point was measured." : "Best output throughput: " + Describe(c.Best) };
        foreach (var s in c.Saturation)
            lines.Add(string.Create(CultureInfo.InvariantCulture, $"Saturation {(several ? $"of {s.Backend} " : "")}at input {Input(s)}, output {s.OutputLen}: batch {s.BatchSize} (the smallest within 5 % of the best at these lengths, {s.OutputThroughput:0.0} tok/s)"));
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
