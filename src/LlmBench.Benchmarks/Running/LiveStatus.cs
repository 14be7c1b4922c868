namespace LlmBench.Benchmarks.Running;

/// <summary>A snapshot for the live view, replaced after every engine step (read from the UI thread).</summary>
public sealed record LiveStatus(
    bool WarmingUp,
    double ElapsedSeconds,
    double WindowElapsedSeconds,
    double RemainingSeconds,
    long WindowOutputTokens,
    double RecentOutputTokensPerSecond,
    double AverageOutputTokensPerSecond,
    int RunningRequests,
    int WaitingRequests,
    double KvCacheUsage,
    int CompletedRequests)
{
    public static readonly LiveStatus Starting = new(true, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
}
