using LlmBench.Reports.Statistics;

namespace LlmBench.Reports.Offline;

/// <summary>
/// Per-request latencies as docs/WORKLOADS.md defines them (vLLM's definitions): TTFT = first token − send,
/// E2EL = last token − send, TPOT = (E2EL − TTFT) / (output tokens − 1) for requests with more than one token.
/// </summary>
public sealed record LatencySummary(DistributionSummary TtftMs, DistributionSummary TpotMs, DistributionSummary E2elMs)
{
    public static readonly IReadOnlyList<double> DefaultPercentiles = [50, 90, 99];
}
