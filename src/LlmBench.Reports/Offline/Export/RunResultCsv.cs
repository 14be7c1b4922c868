using LlmBench.Reports.Results;
using LlmBench.Reports.Statistics;

namespace LlmBench.Reports.Offline.Export;

/// <summary>`llmbench run` as CSV: one row per engine (one per GPU with --gpus), the run's own figures repeated on each.</summary>
public static class RunResultCsv
{
    public static readonly IReadOnlyList<CsvColumn<(RunResult Run, RunEngineResult Engine)>> Columns =
    [
        new("date", x => x.Run.Date),
        new("model", x => x.Run.Model.Name),
        new("dummy_weights", x => x.Run.Model.DummyWeights),
        new("device", x => x.Engine.Device),
        new("output_throughput", x => x.Engine.OutputTokensPerSecond),
        new("generations_per_s", x => x.Engine.GenerationsPerSecond),
        new("window_s", x => x.Engine.WindowSeconds),
        new("total_output_tokens", x => x.Engine.OutputTokens),
        new("completed", x => x.Engine.CompletedRequests),
        new("concurrency_target", x => x.Engine.ConcurrencyTarget),
        new("median_ttft_ms", x => Median(x.Engine.Latency.TtftMs)),
        new("p99_ttft_ms", x => P99(x.Engine.Latency.TtftMs)),
        new("median_tpot_ms", x => Median(x.Engine.Latency.TpotMs)),
        new("p99_tpot_ms", x => P99(x.Engine.Latency.TpotMs)),
        new("peak_kv_cache_usage", x => x.Engine.Activity.PeakKvCacheUsage),
        new("preemptions", x => x.Engine.Activity.Preemptions),
        new("fraction_of_floor", x => x.Engine.Floor?.FractionOfFloor),
        new("joules_per_output_token", x => x.Engine.JoulesPerOutputToken),
        new("valid", x => x.Engine.Verdict.Valid),
        new("incomplete", x => x.Engine.Incomplete),
        new("score_output_tokens_per_s", x => x.Run.TotalOutputTokensPerSecond),
        new("seed", x => x.Run.Configuration.Seed),
        new("git_commit", x => x.Run.Configuration.GitCommit),
        new("llmbench_version", x => x.Run.Configuration.LlmBenchVersion),
    ];

    public static void Write(RunResult result, Stream destination) =>
        CsvTable.Write(destination, Columns, result.Engines.Select(e => (result, e)));

    /// <summary>Empty where no request finished inside the window.</summary>
    private static double? Median(DistributionSummary s) => s.Count == 0 ? null : s.Median;

    private static double? P99(DistributionSummary s) => s.Count == 0 ? null : s.ValueAt(99);
}
