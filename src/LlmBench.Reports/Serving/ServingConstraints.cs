namespace LlmBench.Reports.Serving;

/// <summary>One constraint of the serving score and whether the run met it.</summary>
public sealed record ConstraintCheck(string Key, string Name, string Limit, double Measured, string MeasuredText, bool Passed);

/// <summary>
/// The constraints the `serve-512` workload is scored with (docs/WORKLOADS.md): P99 TPOT under 50 ms,
/// P99 TTFT under 2000 ms, every request successful. Output throughput is the figure of merit.
/// </summary>
public static class ServingConstraints
{
    public const double MaxP99TpotMs = 50;
    public const double MaxP99TtftMs = 2000;

    public static IReadOnlyList<ConstraintCheck> Evaluate(ServingMetrics metrics)
    {
        var successPercent = metrics.SuccessRate * 100;
        return
        [
            new("p99_ttft_ms", "P99 TTFT (ms)", $"< {MaxP99TtftMs:0}", metrics.P99TtftMs, $"{metrics.P99TtftMs:F2}",
                metrics.Completed > 0 && metrics.P99TtftMs < MaxP99TtftMs),
            new("p99_tpot_ms", "P99 TPOT (ms)", $"< {MaxP99TpotMs:0}", metrics.P99TpotMs, $"{metrics.P99TpotMs:F2}",
                metrics.Completed > 0 && metrics.P99TpotMs < MaxP99TpotMs),
            new("success_rate_percent", "Success rate (%)", "= 100", successPercent, $"{successPercent:F2}",
                metrics.Failed == 0 && metrics.Completed > 0),
        ];
    }

    public static bool AllPassed(ServingMetrics metrics) => Evaluate(metrics).All(c => c.Passed);
}
