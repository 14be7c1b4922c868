namespace LlmBench.Engine.Scheduling;

/// <summary>Running totals since the scheduler started, for stats and benchmark results.</summary>
public sealed class SchedulerCounters
{
    public long Steps { get; internal set; }

    /// <summary>Sequences sent back to the waiting queue to be recomputed because KV blocks ran out.</summary>
    public long Preemptions { get; internal set; }

    /// <summary>Prompt tokens of requests that produced their first token (each request counted once, recompute not included).</summary>
    public long PromptTokens { get; internal set; }

    public long GenerationTokens { get; internal set; }

    public long Aborted { get; internal set; }

    /// <summary>Highest share of KV blocks in use after any step's scheduling, 0 to 1.</summary>
    public double PeakKvCacheUsage { get; internal set; }

    /// <summary>Back to zero (after a warm-up request that must not count).</summary>
    internal void Reset() => (Steps, Preemptions, PromptTokens, GenerationTokens, Aborted, PeakKvCacheUsage) = (0, 0, 0, 0, 0, 0);
}
