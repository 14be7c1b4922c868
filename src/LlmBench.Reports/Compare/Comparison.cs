using System.Globalization;
using LlmBench.Reports.Cost;
using LlmBench.Reports.Reading;

namespace LlmBench.Reports.Compare;

/// <summary>One row of a comparison: a figure per result, the ratio of each to the first column where it means something.</summary>
public sealed record ComparisonRow(string Metric, IReadOnlyList<double?> Values, string Format, bool ShowRatio)
{
    public string Cell(int column)
    {
        if (Values[column] is not { } v)
            return "-";
        var text = v.ToString(Format, CultureInfo.InvariantCulture);
        if (ShowRatio && column > 0 && Values[0] is { } first && first != 0)
            text += $" ({(v / first).ToString("0.00", CultureInfo.InvariantCulture)}×)";
        return text;
    }
}

/// <summary>
/// Results of one workload side by side (different GPUs, runs, engine options or backends): throughput, TTFT/TPOT
/// percentiles, energy, fraction of the memory-bandwidth floor and, given prices, cost, each with its ratio to the
/// first column. <see cref="Build"/> refuses results of different workloads, naming the field that differs.
/// </summary>
public sealed record Comparison(IReadOnlyList<ResultSummary> Columns, IReadOnlyList<string> Gpus, IReadOnlyList<ComparisonRow> Rows, IReadOnlyList<string> Notes)
{
    /// <param name="pricesPerHour">Per column, the price of the GPUs it used per hour (null: no cost rows for it).</param>
    public static Comparison Build(IReadOnlyList<ResultDocument> results, IReadOnlyList<double?>? pricesPerHour = null, double? kwhPrice = null)
    {
        if (results.Count == 0)
            throw new ReportException("compare needs at least one result.");
        var columns = results.Select(ResultSummary.From).ToList();
        CheckSameWorkload(columns);
        var prices = pricesPerHour ?? columns.Select(_ => (double?)null).ToList();
        if (prices.Count != columns.Count)
            throw new ReportException($"{prices.Count} prices for {columns.Count} results: give one price for all or one per result.");
        var costs = columns.Select((c, i) => c.OutputTokensPerSecond is > 0 && prices[i] is > 0
            ? CostEstimate.Compute(c.OutputTokensPerSecond.Value, prices[i]!.Value, c.JoulesPerOutputToken, kwhPrice)
            : null).ToList();
        var rows = new List<ComparisonRow>
        {
            new(columns[0].ThroughputName, columns.Select(c => c.OutputTokensPerSecond).ToList(), "0.0", true),
            new("TTFT p50 (ms)", columns.Select(c => c.TtftP50Ms).ToList(), "0.0", true),
            new("TTFT p99 (ms)", columns.Select(c => c.TtftP99Ms).ToList(), "0.0", true),
            new("TPOT p50 (ms)", columns.Select(c => c.TpotP50Ms).ToList(), "0.00", true),
            new("TPOT p99 (ms)", columns.Select(c => c.TpotP99Ms).ToList(), "0.00", true),
        };
        if (columns.Any(c => c.JoulesPerOutputToken is not null))
            rows.Add(new("J per output token", columns.Select(c => c.JoulesPerOutputToken).ToList(), "0.000", true));
        if (columns.Any(c => c.TokensPerSecondPerWatt is not null))
            rows.Add(new("output tok/s per W", columns.Select(c => c.TokensPerSecondPerWatt).ToList(), "0.00", true));
        rows.Add(new("fraction of floor (%)", columns.Select(c => c.FractionOfFloor * 100).ToList(), "0.0", true));
        if (costs.Any(c => c is not null))
        {
            rows.Add(new("price ($/h)", prices.ToList(), "0.00", true));
            rows.Add(new("$ per 1M output tokens", costs.Select(c => c?.DollarsPerMillionOutputTokens).ToList(), "0.000", true));
            rows.Add(new("output tokens per $", costs.Select(c => c?.OutputTokensPerDollar).ToList(), "0", true));
            rows.Add(new("output tok/s per $/h", costs.Select(c => c?.TokensPerSecondPerDollarHour).ToList(), "0.0", true));
            if (costs.Any(c => c?.EnergyDollarsPerMillionOutputTokens is not null))
                rows.Add(new("energy $ per 1M output tokens", costs.Select(c => c?.EnergyDollarsPerMillionOutputTokens).ToList(), "0.0000", true));
        }

        var notes = new List<string>();
        if (columns.Select(c => c.Dtypes).OfType<string>().Distinct().Count() > 1)
            notes.Add("The columns ran with different dtypes (the dtypes row): each is its own configuration, not the same score.");
        if (columns.Any(c => c.JoulesPerOutputToken is null))
            notes.Add("J per output token and tok/s per W need GPU health with energy (NVML); '-' where the result has none.");
        if (columns.Any(c => c.FractionOfFloor is null))
            notes.Add("fraction of floor is the measured output tok/s over the memory-bandwidth floor's (docs/WORKLOADS.md); '-' where the result has none (CPU, bench serve).");
        return new Comparison(columns, columns.Select(c => c.Gpu ?? "-").ToList(), rows, notes);
    }

    /// <summary>Throws, naming the first field that differs, unless every result is of the first one's workload.</summary>
    public static void CheckSameWorkload(IReadOnlyList<ResultSummary> columns)
    {
        var first = columns[0];
        foreach (var other in columns.Skip(1))
        {
            if (other.Kind != first.Kind)
                throw new ReportException($"{first.Label} is a {first.Kind} result and {other.Label} a {other.Kind} result: compare ranks results of one workload only.");
            var a = first.Workload.ToDictionary(p => p.Key, p => p.Value);
            var b = other.Workload.ToDictionary(p => p.Key, p => p.Value);
            foreach (var key in a.Keys.Concat(b.Keys).Distinct())
            {
                var va = a.GetValueOrDefault(key, "(default)");
                var vb = b.GetValueOrDefault(key, "(default)");
                if (va != vb)
                    throw new ReportException($"{first.Label} and {other.Label} are different workloads ({key} is \"{va}\" in one and \"{vb}\" in the other), so compare will not rank them.");
            }
        }
    }

    public IReadOnlyList<string> Headers => ["", .. Columns.Select(c => c.Label)];

    /// <summary>Per column, what the engine stored ("weights bf16, KV fp8_e4m3"; "-" where the file does not say).</summary>
    public IReadOnlyList<string> Dtypes => Columns.Select(c => c.Dtypes ?? "-").ToList();


    /// <summary>The table as GitHub Markdown, with the workload above it.</summary>
    public string ToMarkdown()
    {
        var sb = new System.Text.StringBuilder();
        sb.Append("# Comparison\n\n");
        sb.Append("Workload: ").Append(string.Join("; ", Columns[0].Workload.Select(p => $"{p.Key} {p.Value}"))).Append("\n\n");
        sb.Append("| ").Append(string.Join(" | ", Headers.Select(Escape))).Append(" |\n");
        sb.Append('|').Append(string.Concat(Headers.Select(_ => " --- |"))).Append('\n');
        sb.Append("| GPU | ").Append(string.Join(" | ", Gpus.Select(Escape))).Append(" |\n");
        sb.Append("| dtypes | ").Append(string.Join(" | ", Dtypes.Select(Escape))).Append(" |\n");
        foreach (var row in Rows)
            sb.Append("| ").Append(Escape(row.Metric)).Append(" | ").Append(string.Join(" | ", Columns.Select((_, i) => row.Cell(i)))).Append(" |\n");
        sb.Append('\n');
        sb.Append("Ratios in parentheses are to the first column.");
        foreach (var note in Notes)
            sb.Append(' ').Append(note);
        sb.Append('\n');
        return sb.ToString();
    }

    private static string Escape(string s) => s.Replace("|", "\\|", StringComparison.Ordinal);
}
