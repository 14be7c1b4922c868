using LlmBench.Reports.Results;

namespace LlmBench.Reports.Sweep.Export;

/// <summary>A sweep point's keys, in order: the JSON objects and the CSV columns are both made from this list.</summary>
public static class SweepPointColumns
{
    public static readonly IReadOnlyList<CsvColumn<SweepPoint>> All =
    [
        new("backend", p => p.Backend),
        new("batch_size", p => p.BatchSize),
        new("input_len", p => p.InputLen),
        new("input_len_max", p => p.InputLenMax),
        new("output_len", p => p.OutputLen),
        new("status", p => StatusText(p.Status)),
        new("note", p => p.Note),
        new("output_throughput", p => p.OutputThroughput),
        new("total_token_throughput", p => p.TotalTokenThroughput),
        new("requests_per_second", p => p.RequestsPerSecond),
        new("mean_ttft_ms", p => p.MeanTtftMs),
        new("p99_ttft_ms", p => p.P99TtftMs),
        new("mean_tpot_ms", p => p.MeanTpotMs),
        new("p99_tpot_ms", p => p.P99TpotMs),
        new("prefill_tokens_per_s", p => p.PrefillTokensPerSecond),
        new("decode_step_ms", p => p.DecodeStepMs),
        new("gpu_utilization_pct", p => p.GpuUtilizationPct),
        new("gpu_memory_used_bytes", p => p.GpuMemoryUsedBytes),
        new("kv_blocks_used", p => p.KvBlocksUsed),
        new("fraction_of_floor", p => p.FractionOfFloor),
        new("compile_s", p => p.CompileSeconds),
        new("compile_mode", p => p.CompileMode),
        new("llmbench_ratio", p => p.LlmbenchRatio),
    ];

    /// <summary>"ok", "does_not_fit", "failed", "not_run".</summary>
    public static string StatusText(SweepPointStatus status) => status switch
    {
        SweepPointStatus.Ok => "ok",
        SweepPointStatus.DoesNotFit => "does_not_fit",
        SweepPointStatus.Failed => "failed",
        _ => "not_run",
    };
}
