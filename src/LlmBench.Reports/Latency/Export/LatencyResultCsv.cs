using LlmBench.Reports.Results;

namespace LlmBench.Reports.Latency.Export;

/// <summary>`llmbench latency` as one CSV row, so that many runs concatenate into one table.</summary>
public static class LatencyResultCsv
{
    public static readonly IReadOnlyList<CsvColumn<LatencyResult>> Columns =
    [
        new("date", r => r.Date),
        new("model", r => r.Model.Name),
        new("device", r => r.Platform.Device),
        new("batch_size", r => r.BatchSize),
        new("input_len", r => r.InputLen),
        new("output_len", r => r.OutputLen),
        new("num_iters", r => r.Iterations),
        new("avg_latency_s", r => r.LatencySeconds.Mean),
        new("p50_latency_s", r => r.LatencySeconds.ValueAt(50)),
        new("p99_latency_s", r => r.LatencySeconds.ValueAt(99)),
        new("mean_ttft_ms", r => r.TtftMs.Mean),
        new("p99_ttft_ms", r => r.TtftMs.ValueAt(99)),
        new("mean_tpot_ms", r => r.TpotMs.Mean),
        new("p99_tpot_ms", r => r.TpotMs.ValueAt(99)),
        new("decode_tokens_per_s", r => r.DecodeTokensPerSecond),
        new("incomplete", r => r.Incomplete),
        new("seed", r => r.Configuration.Seed),
        new("git_commit", r => r.Configuration.GitCommit),
        new("llmbench_version", r => r.Configuration.LlmBenchVersion),
    ];

    public static void Write(LatencyResult result, Stream destination) => CsvTable.Write(destination, Columns, [result]);
}
