using LlmBench.Benchmarks.Health;
using LlmBench.Reports.Offline;

namespace LlmBench.Benchmarks.Running;

/// <summary>Freezes one engine's closed-loop measurement (and its GPU health, if any) into the report's record.</summary>
public static class RunEngineResults
{
    public static RunEngineResult From(ClosedLoopMeasurement m, ClosedLoopOptions options, string device, GpuHealth? health, FloorEstimate? floor = null)
    {
        var windows = StabilityCheck.Windows(m, options.StabilityWindowSeconds);
        var verdict = StabilityCheck.Judge(m, windows, options, health is null ? [] : GpuHealthNotes.Throttling(health));
        return new RunEngineResult
        {
            Device = device,
            WarmupSeconds = m.WarmupSeconds,
            WindowSeconds = m.WindowSeconds,
            OutputTokens = m.OutputTokens,
            PromptTokensOfCompleted = m.CompletedInWindow.Sum(o => (long)o.PromptTokens),
            CompletedRequests = m.CompletedInWindow.Count,
            ConcurrencyTarget = m.ConcurrencyTarget,
            Latency = Latencies.Summarize(m.CompletedInWindow),
            Activity = m.Activity,
            Windows = windows,
            Verdict = verdict,
            Health = health,
            Floor = floor,
            Error = m.Error,
            Incomplete = m.Cancelled || m.Error is not null,
        };
    }
}
