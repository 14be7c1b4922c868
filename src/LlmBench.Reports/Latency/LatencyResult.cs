using LlmBench.Reports.Offline;
using LlmBench.Reports.Results;
using LlmBench.Reports.Statistics;

namespace LlmBench.Reports.Latency;

/// <summary>
/// `llmbench latency` (as `vllm bench latency`), frozen: the same lockstep batch run <see cref="Iterations"/> times after
/// uncounted warm-ups; each distribution is over iterations.
/// </summary>
public sealed record LatencyResult
{
    public static readonly IReadOnlyList<double> Percentiles = [10, 25, 50, 75, 90, 99];

    public required string Date { get; init; }
    public required ModelInfo Model { get; init; }
    public required PlatformInfo Platform { get; init; }
    public required ResultConfiguration Configuration { get; init; }
    public required double StartupSeconds { get; init; }
    public required int BatchSize { get; init; }
    public required int InputLen { get; init; }
    public required int OutputLen { get; init; }
    public required int WarmupIterations { get; init; }

    /// <summary>Iterations measured (fewer than asked when Ctrl-C stopped the run).</summary>
    public required int Iterations { get; init; }

    /// <summary>Each iteration's end-to-end latency, seconds, in order.</summary>
    public required IReadOnlyList<double> LatenciesSeconds { get; init; }

    /// <summary>End-to-end latency of a batch, seconds.</summary>
    public required DistributionSummary LatencySeconds { get; init; }

    /// <summary>Time until every request of the batch had its first token (the prefill), ms.</summary>
    public required DistributionSummary TtftMs { get; init; }

    /// <summary>One decode step of the batch: (latency − TTFT) / (output len − 1), ms.</summary>
    public required DistributionSummary TpotMs { get; init; }

    public bool Incomplete { get; init; }

    /// <summary>The framework measured (--backend): "llmbench", "llmbench-eager", "hf", "hf-compile", "openai".</summary>
    public string Backend { get; init; } = "llmbench";

    /// <summary>Seconds the backend compiled before the first iteration (hf-compile), apart from every latency; null elsewhere.</summary>
    public double? CompileSeconds { get; init; }

    /// <summary>The torch.compile mode that ran (hf-compile); null elsewhere.</summary>
    public string? CompileMode { get; init; }

    /// <summary>Decode tokens per second: batch × (output len − 1) tokens per (latency − TTFT), from the means.</summary>
    public double DecodeTokensPerSecond => TpotMs.Mean > 0 ? BatchSize / (TpotMs.Mean / 1000) : 0;
}
