using LlmBench.LoadGen.Client;
using LlmBench.Reports.Serving;
using LlmBench.Reports.Statistics;

namespace LlmBench.LoadGen.Runner;

/// <summary>
/// Judges whether the client kept up: send lag is the time from when a request was due and had a slot
/// to when it left (it should be well under a millisecond), and CPU use near all cores means the
/// client's own work may have set the numbers rather than the server.
/// </summary>
public static class ClientSelfCheck
{
    public const double LagWarningMs = 5;
    public const double CpuWarningFraction = 0.9;

    public static ClientHealth Assess(IReadOnlyList<RequestTiming> timings, double cpuUtilization)
    {
        var lags = timings.Select(t => t.SendLagMs).ToArray();
        Array.Sort(lags);
        var p50 = DistributionSummary.PercentileOfSorted(lags, 50);
        var p99 = DistributionSummary.PercentileOfSorted(lags, 99);
        var max = lags.Length == 0 ? 0 : lags[^1];
        var warnings = new List<string>();
        if (p99 > LagWarningMs)
            warnings.Add($"sends left {p99:F1} ms behind schedule at p99: the client could not keep the arrival schedule, so the offered load was lower than asked.");
        if (cpuUtilization >= CpuWarningFraction)
            warnings.Add($"the client used {cpuUtilization * 100:F0}% of all {Environment.ProcessorCount} cores: its own CPU was the limit, so latencies include client time; run it on another machine or with less load.");
        return new ClientHealth(p50, p99, max, cpuUtilization, Environment.ProcessorCount, warnings);
    }
}
