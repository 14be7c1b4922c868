using System.Globalization;
using LlmBench.Reports.Offline;

namespace LlmBench.Benchmarks.Running;

/// <summary>
/// One line for a run that is not valid: the first reason, and what to change. The full list of reasons stays in
/// the report; this is the line a new user reads.
/// </summary>
public static class VerdictAdvice
{
    /// <summary>Null when the engine's run is valid.</summary>
    public static string? OneLine(StabilityVerdict verdict, EngineActivity activity, int concurrency, bool cancelled, string? error)
    {
        if (verdict.Valid)
            return null;
        string Say(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
        if (cancelled)
            return "NOT VALID because the run was stopped early; let it run the full --duration.";
        if (error is not null)
            return Say($"NOT VALID because the engine failed ({error}); fix that error and run again.");
        if (activity.Preemptions > 0 || activity.PeakKvCacheUsage >= 0.999)
            return Say($"NOT VALID because the KV cache ran full ({activity.PeakKvCacheUsage * 100:0} % peak, {activity.Preemptions} preemptions), so throughput swung; lower --concurrency (now {concurrency}) or give the cache more memory (--kv-cache-memory-bytes).");
        if (verdict.Reasons.Any(r => r.Contains("fewer than two", StringComparison.Ordinal)))
            return "NOT VALID because the measurement window is too short to check stability; raise --duration to at least two --window slices.";
        if (verdict.Reasons.Any(r => r.StartsWith("slice ", StringComparison.Ordinal) || r.StartsWith("and ", StringComparison.Ordinal)))
            return Say($"NOT VALID because throughput drifted more than ±{verdict.Tolerance * 100:0.#} % between {verdict.WindowSeconds:0.#} s slices; run longer with a longer --warmup, keep the machine otherwise idle, or lower --concurrency (now {concurrency}).");
        return $"NOT VALID because {verdict.Reasons[0]}.";
    }
}
