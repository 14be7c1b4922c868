namespace LlmBench.Engine.Api;

/// <summary>A snapshot of the engine's queue and cache, for live views and /metrics.</summary>
public readonly record struct EngineStats(
    int RunningRequests,
    int WaitingRequests,
    double KvCacheUsage,
    long Preemptions,
    long PromptTokensTotal,
    long GenerationTokensTotal)
{
    /// <summary>Share of step time the GPU sat idle waiting for the CPU (null on backends that do not measure it).</summary>
    public double? GpuIdleShare { get; init; }
}
