namespace LlmBench.Reports.Offline;

/// <summary>What the engine's own counters showed over the measured span, sampled after every step.</summary>
/// <param name="PeakKvCacheUsage">Largest share of KV blocks in use (0..1).</param>
/// <param name="Preemptions">Sequences preempted (recomputed) during the span.</param>
public sealed record EngineActivity(
    long Steps,
    double PeakKvCacheUsage,
    double MeanKvCacheUsage,
    int MaxRunningRequests,
    double MeanRunningRequests,
    int MaxWaitingRequests,
    long Preemptions);
