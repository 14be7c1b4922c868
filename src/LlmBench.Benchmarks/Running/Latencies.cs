using LlmBench.Reports.Offline;
using LlmBench.Reports.Statistics;

namespace LlmBench.Benchmarks.Running;

/// <summary>TTFT, TPOT and E2EL over finished, non-aborted requests (aborted ones are excluded, as vLLM excludes failures).</summary>
public static class Latencies
{
    public static LatencySummary Summarize(IEnumerable<RequestOutcome> outcomes, IReadOnlyList<double>? percentiles = null)
    {
        var done = outcomes.Where(o => !o.Aborted).ToArray();
        var p = percentiles ?? LatencySummary.DefaultPercentiles;
        return new LatencySummary(
            DistributionSummary.Compute(done.Where(o => o.TtftMs is not null).Select(o => o.TtftMs!.Value), p),
            DistributionSummary.Compute(done.Where(o => o.TpotMs is not null).Select(o => o.TpotMs!.Value), p),
            DistributionSummary.Compute(done.Where(o => o.E2elMs is not null).Select(o => o.E2elMs!.Value), p));
    }
}
