using LlmBench.Benchmarks.Running;
using LlmBench.Reports.Offline;

namespace LlmBench.Benchmarks.Tests.Running;

public class VerdictAdviceTests
{
    private static StabilityVerdict Verdict(params string[] reasons) => new(reasons.Length == 0, reasons, [], 30, 0.05);

    private static EngineActivity Activity(double peakKv = 0.5, long preemptions = 0) => new(100, peakKv, peakKv / 2, 4, 3.5, 0, preemptions);

    [Fact]
    public void A_valid_run_needs_no_line() => Assert.Null(VerdictAdvice.OneLine(Verdict(), Activity(), 4, false, null));

    [Fact]
    public void A_full_kv_cache_says_to_lower_concurrency_or_give_memory()
    {
        var line = VerdictAdvice.OneLine(Verdict("slice 3 (60–90 s) ran at 2 tok/s, -80.0 % from the mean (limit ±5 %)"), Activity(1.0, 48), 4, false, null)!;
        Assert.Contains("48 preemptions", line, StringComparison.Ordinal);
        Assert.Contains("--concurrency (now 4)", line, StringComparison.Ordinal);
        Assert.Contains("--kv-cache-memory-bytes", line, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', line);
    }

    [Fact]
    public void Drift_short_windows_and_stops_each_say_what_to_change()
    {
        Assert.Contains("--warmup", VerdictAdvice.OneLine(Verdict("slice 1 (0–30 s) ran at 9 tok/s, +9.0 % from the mean (limit ±5 %)"), Activity(), 2, false, null), StringComparison.Ordinal);
        Assert.Contains("--duration", VerdictAdvice.OneLine(Verdict("the 20 s window holds fewer than two 30 s slices, so its stability cannot be checked; run longer (--duration)"), Activity(), 2, false, null), StringComparison.Ordinal);
        Assert.Contains("stopped early", VerdictAdvice.OneLine(Verdict("stopped early"), Activity(), 2, true, null), StringComparison.Ordinal);
    }
}
