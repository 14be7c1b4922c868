using LlmBench.Reports.Serving;

namespace LlmBench.Reports.Tests.Serving;

public class ServingMetricsTests
{
    [Fact]
    public void Failed_requests_are_counted_but_left_out_of_totals_and_latencies()
    {
        var m = ServingMetrics.Compute(SampleRuns.FourRequests(), 2.0, [50, 99], GoodputSlo.None);

        Assert.Equal(3, m.Completed);
        Assert.Equal(1, m.Failed);
        Assert.Equal(60, m.TotalInputTokens);
        Assert.Equal(8, m.TotalOutputTokens);
        Assert.Equal(1.5, m.RequestThroughput, 12);
        Assert.Equal(4.0, m.OutputThroughput, 12);
        Assert.Equal(34.0, m.TotalTokenThroughput, 12);
        Assert.Equal(3, m.TtftMs.Count);
        Assert.Equal(350.0 / 3, m.TtftMs.Mean, 9);
        Assert.Equal(0.75, m.SuccessRate, 12);
        Assert.Null(m.RequestGoodput);
    }

    [Fact]
    public void Tpot_skips_single_token_requests_and_itl_pools_every_gap()
    {
        var m = ServingMetrics.Compute(SampleRuns.FourRequests(), 2.0, [50, 99], GoodputSlo.None);

        Assert.Equal(2, m.TpotMs.Count);
        Assert.Equal(20, m.TpotMs.Mean, 12);
        Assert.Equal(5, m.ItlMs.Count);
        Assert.Equal(20, m.ItlMs.Mean, 12);
        Assert.Equal(20, m.ItlMs.Median, 12);
        // Sorted gaps 10, 20, 20, 20, 30: p99 rank 3.96 → 20 + 0.96 * 10.
        Assert.Equal(29.6, m.ItlMs.ValueAt(99), 9);
        Assert.Equal(140, m.E2elMs.Median, 12);
    }

    [Fact]
    public void Goodput_counts_requests_within_every_objective()
    {
        // TTFT ≤ 150 keeps #0 and #2; TPOT ≤ 25 keeps both (and #1 would count TPOT as 0).
        var m = ServingMetrics.Compute(SampleRuns.FourRequests(), 2.0, [99], new GoodputSlo(150, 25, null));
        Assert.Equal(1.0, m.RequestGoodput!.Value, 12);

        var strict = ServingMetrics.Compute(SampleRuns.FourRequests(), 2.0, [99], new GoodputSlo(null, null, 120));
        Assert.Equal(0.5, strict.RequestGoodput!.Value, 12);
    }

    [Fact]
    public void Peak_concurrency_sweeps_half_open_intervals()
    {
        // #0 [0, 0.14), #1 [0.05, 0.25), #2 [0.5, 0.61): two overlap at most.
        var m = ServingMetrics.Compute(SampleRuns.FourRequests(), 2.0, [99], GoodputSlo.None);
        Assert.Equal(2, m.MaxConcurrentRequests);

        RequestRecord[] touching =
        [
            new() { Index = 0, Success = true, PromptTokens = 1, OutputTokens = 1, StartSeconds = 0, TtftMs = 500, E2elMs = 500 },
            new() { Index = 1, Success = true, PromptTokens = 1, OutputTokens = 1, StartSeconds = 0.5, TtftMs = 500, E2elMs = 500 },
        ];
        Assert.Equal(1, PeakActivity.MaxConcurrentRequests(touching));
    }

    [Fact]
    public void Peak_output_rate_is_the_busiest_one_second_bucket_of_chunks()
    {
        RequestRecord[] records =
        [
            new() { Index = 0, Success = true, PromptTokens = 1, OutputTokens = 3, StartSeconds = 0, TtftMs = 100, E2elMs = 1300, ItlMs = [100, 1100] },
            new() { Index = 1, Success = true, PromptTokens = 1, OutputTokens = 2, StartSeconds = 1.5, TtftMs = 100, E2elMs = 200, ItlMs = [100] },
        ];

        // Chunks at 0.1, 0.2, 1.3 (#0) and 1.6, 1.7 (#1): bucket 0 has 2, bucket 1 has 3.
        Assert.Equal(3, PeakActivity.MaxOutputChunksPerSecond(records));
    }

    [Fact]
    public void P99s_for_the_constraints_exist_whatever_percentiles_were_asked()
    {
        var m = ServingMetrics.Compute(SampleRuns.FourRequests(), 2.0, [50], GoodputSlo.None);

        // TTFTs 50, 100, 200: p99 rank 1.98 → 100 + 0.98 * 100.
        Assert.Equal(198, m.P99TtftMs, 9);
        Assert.Equal(20, m.P99TpotMs, 9);
        Assert.Throws<ArgumentException>(() => m.TtftMs.ValueAt(99));
    }

    [Fact]
    public void A_run_without_duration_is_rejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => ServingMetrics.Compute(SampleRuns.FourRequests(), 0, [99], GoodputSlo.None));
    }
}
