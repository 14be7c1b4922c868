using LlmBench.Reports.Results;

namespace LlmBench.Reports.Offline.Export;

/// <summary>`llmbench throughput` as one CSV row, so that many runs concatenate into one table.</summary>
public static class ThroughputResultCsv
{
    public static readonly IReadOnlyList<CsvColumn<ThroughputResult>> Columns =
    [
        new("date", r => r.Date),
        new("model", r => r.Model.Name),
        new("dummy_weights", r => r.Model.DummyWeights),
        new("workload", r => r.Workload.Name),
        new("device", r => r.Platform.Device),
        new("requests", r => r.Requests),
        new("completed", r => r.CompletedRequests),
        new("total_input_tokens", r => r.PromptTokens),
        new("total_output_tokens", r => r.OutputTokens),
        new("elapsed_s", r => r.ElapsedSeconds),
        new("requests_per_s", r => r.RequestsPerSecond),
        new("output_throughput", r => r.OutputTokensPerSecond),
        new("total_token_throughput", r => r.TotalTokensPerSecond),
        new("median_ttft_ms", r => r.Latency.TtftMs.Median),
        new("p99_ttft_ms", r => r.Latency.TtftMs.ValueAt(99)),
        new("median_tpot_ms", r => r.Latency.TpotMs.Median),
        new("p99_tpot_ms", r => r.Latency.TpotMs.ValueAt(99)),
        new("peak_kv_cache_usage", r => r.Activity.PeakKvCacheUsage),
        new("preemptions", r => r.Activity.Preemptions),
        new("fraction_of_floor", r => r.Floor?.FractionOfFloor),
        new("incomplete", r => r.Incomplete),
        new("seed", r => r.Configuration.Seed),
        new("git_commit", r => r.Configuration.GitCommit),
        new("llmbench_version", r => r.Configuration.LlmBenchVersion),
    ];

    public static void Write(ThroughputResult result, Stream destination) => CsvTable.Write(destination, Columns, [result]);
}
