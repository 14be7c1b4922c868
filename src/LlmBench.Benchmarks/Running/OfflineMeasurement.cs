using LlmBench.Reports.Offline;

namespace LlmBench.Benchmarks.Running;

/// <summary>What <see cref="OfflineRunner"/> measured: duration from the first send to the last completion, and every request's outcome.</summary>
public sealed record OfflineMeasurement(
    double ElapsedSeconds,
    int Requests,
    IReadOnlyList<RequestOutcome> Outcomes,
    EngineActivity Activity,
    bool Incomplete)
{
    public int Completed => Outcomes.Count(o => !o.Aborted);
    public long PromptTokens => Outcomes.Where(o => !o.Aborted).Sum(o => (long)o.PromptTokens);
    public long OutputTokens => Outcomes.Sum(o => (long)o.OutputTokens);
    public LatencySummary Latency => Latencies.Summarize(Outcomes);
}
