using System.Globalization;
using System.Text;
using LlmBench.Reports.Statistics;

namespace LlmBench.Reports.Serving.Export;

/// <summary>
/// The "Serving Benchmark Result" block exactly as `vllm bench serve` prints it (labels padded to 40,
/// values left-aligned in 10, section rules 50 wide), so scripts that scrape vLLM's output read ours,
/// followed by our serving-constraints score table, the client's self-check and, when the server's GPUs were
/// sampled, one line per GPU and the energy per output token.
/// </summary>
public static class ServingTextReport
{
    private const int RuleWidth = 50;

    public static string Render(ServingResult result)
    {
        var sb = new StringBuilder();
        var m = result.Metrics;
        var info = result.Info;
        sb.AppendLine(Rule(" Serving Benchmark Result ", '='));
        Line(sb, "Successful requests:", m.Completed);
        Line(sb, "Failed requests:", m.Failed);
        if (info.MaxConcurrency is { } maxConcurrency)
            Line(sb, "Maximum request concurrency:", maxConcurrency);
        if (!double.IsPositiveInfinity(info.RequestRate))
            Line(sb, "Request rate configured (RPS):", info.RequestRate);
        Line(sb, "Benchmark duration (s):", m.DurationSeconds);
        Line(sb, "Total input tokens:", m.TotalInputTokens);
        Line(sb, "Total generated tokens:", m.TotalOutputTokens);
        Line(sb, "Request throughput (req/s):", m.RequestThroughput);
        if (m.RequestGoodput is { } goodput)
            Line(sb, "Request goodput (req/s):", goodput);
        Line(sb, "Output token throughput (tok/s):", m.OutputThroughput);
        Line(sb, "Peak output token throughput (tok/s):", m.MaxOutputTokensPerSecond);
        Line(sb, "Peak concurrent requests:", (double)m.MaxConcurrentRequests);
        Line(sb, "Total token throughput (tok/s):", m.TotalTokenThroughput);

        foreach (var metric in ServingMetricNames.All)
        {
            if (!info.PercentileMetrics.Contains(metric.Key))
                continue;
            var summary = metric.Select(m);
            sb.AppendLine(Rule(metric.Header, '-'));
            Line(sb, $"Mean {metric.Short} (ms):", summary.Mean);
            Line(sb, $"Median {metric.Short} (ms):", summary.Median);
            foreach (var p in summary.Percentiles)
                Line(sb, $"P{p.Label} {metric.Short} (ms):", p.Value);
        }

        sb.AppendLine(new string('=', RuleWidth));
        AppendScoreTable(sb, m);
        AppendClientCheck(sb, result.Client);
        AppendGpuTelemetry(sb, result);
        return sb.ToString();
    }

    private static void AppendScoreTable(StringBuilder sb, ServingMetrics m)
    {
        sb.AppendLine(Rule(" Serving Constraints ", '-'));
        foreach (var check in ServingConstraints.Evaluate(m))
            sb.AppendLine(CultureInfo.InvariantCulture, $"{$"{check.Name} {check.Limit}:",-40} {check.MeasuredText,-10} {(check.Passed ? "PASS" : "FAIL")}");
        sb.AppendLine(CultureInfo.InvariantCulture, $"{"Score: output throughput (tok/s):",-40} {m.OutputThroughput.ToString("F2", CultureInfo.InvariantCulture),-10} {(ServingConstraints.AllPassed(m) ? "VALID" : "INVALID")}");
        if (m.RetokenizedRequests > 0)
            sb.AppendLine(CultureInfo.InvariantCulture, $"note: {m.RetokenizedRequests} request(s) had no usage chunk; their output tokens were counted by re-tokenizing the text.");
        sb.AppendLine(new string('=', RuleWidth));
    }

    private static void AppendClientCheck(StringBuilder sb, ClientHealth client)
    {
        sb.AppendLine(CultureInfo.InvariantCulture,
            $"Client self-check: send lag p50 {client.SendLagP50Ms:F3} ms, p99 {client.SendLagP99Ms:F3} ms, max {client.SendLagMaxMs:F3} ms; " +
            $"client CPU {client.CpuUtilization * 100:F0}% of {client.CpuCores} cores.");
        foreach (var warning in client.Warnings)
            sb.AppendLine(CultureInfo.InvariantCulture, $"warning: {warning}");
    }

    private static void AppendGpuTelemetry(StringBuilder sb, ServingResult result)
    {
        if (result.GpuTelemetry is not { } gpus)
            return;
        foreach (var g in gpus)
        {
            var energy = g.EnergyJoules is { } j
                ? string.Create(CultureInfo.InvariantCulture, $"{j:F0} J ({(g.EnergySource == "EnergyCounter" ? "energy counter" : "integrated power")})")
                : "n/a";
            sb.AppendLine(CultureInfo.InvariantCulture,
                $"GPU {g.GpuIndex} {g.Name}: util mean {Na(g.MeanGpuUtilizationPercent)} % / max {Na(g.MaxGpuUtilizationPercent)} %, " +
                $"power mean {Na(g.MeanPowerWatts)} / max {Na(g.MaxPowerWatts)} W, temp max {Na(g.MaxTemperatureC)} °C, SM clock mean {Na(g.MeanSmClockMHz)} MHz, " +
                $"energy {energy}, throttled {Na(g.ThrottledShare * 100)} % of samples.");
        }

        if (result.GpuJoulesPerOutputToken is { } perToken)
            sb.AppendLine(CultureInfo.InvariantCulture,
                $"GPU energy per output token: {perToken:F3} J ({result.GpuEnergyJoules:F0} J over {result.Metrics.TotalOutputTokens} tokens)");
    }

    private static string Na(double? value) => value?.ToString("F0", CultureInfo.InvariantCulture) ?? "n/a";

    /// <summary>Python's "{s:{c}^{n}}": the text centered, the odd pad character going to the right.</summary>
    internal static string Rule(string title, char fill)
    {
        var pad = Math.Max(0, RuleWidth - title.Length);
        var left = pad / 2;
        return new string(fill, left) + title + new string(fill, pad - left);
    }

    private static void Line(StringBuilder sb, string label, long value) =>
        sb.AppendLine(CultureInfo.InvariantCulture, $"{label,-40} {value.ToString(CultureInfo.InvariantCulture),-10}");

    private static void Line(StringBuilder sb, string label, double value) =>
        sb.AppendLine(CultureInfo.InvariantCulture, $"{label,-40} {value.ToString("F2", CultureInfo.InvariantCulture),-10}");
}
