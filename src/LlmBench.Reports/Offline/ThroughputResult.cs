using LlmBench.Reports.Results;

namespace LlmBench.Reports.Offline;

/// <summary>
/// One offline throughput run (`llmbench throughput`), frozen. Duration runs from the first send to the last
/// completion, prefill included, as vLLM's `bench throughput` and nano-vllm's bench.py time it.
/// </summary>
public sealed record ThroughputResult
{
    public required string Date { get; init; }
    public required ModelInfo Model { get; init; }
    public required WorkloadInfo Workload { get; init; }
    public required PlatformInfo Platform { get; init; }
    /// <summary>The command line, engine options, seed and build: what it takes to run this again.</summary>
    public required ResultConfiguration Configuration { get; init; }
    public required double StartupSeconds { get; init; }
    public required double ElapsedSeconds { get; init; }
    public required int Requests { get; init; }
    public required int CompletedRequests { get; init; }
    public required long PromptTokens { get; init; }
    public required long OutputTokens { get; init; }
    public required LatencySummary Latency { get; init; }
    public required EngineActivity Activity { get; init; }

    /// <summary>Null where no GPU bandwidth is known (a CPU run); <see cref="FloorNote"/> says why.</summary>
    public FloorEstimate? Floor { get; init; }

    public string? FloorNote { get; init; }

    /// <summary>True when Ctrl-C stopped the run before every request finished.</summary>
    public bool Incomplete { get; init; }

    /// <summary>The framework measured (--backend); another framework than llmbench runs the requests in static batches of --max-num-seqs.</summary>
    public string Backend { get; init; } = "llmbench";

    /// <summary>Seconds the backend compiled before the clock started (hf-compile); null elsewhere.</summary>
    public double? CompileSeconds { get; init; }

    /// <summary>
    /// With --gpus, each GPU's own result (the same workload on each, all at once); this record then holds their totals:
    /// requests and tokens summed, elapsed the longest GPU's, latencies over every GPU's requests. Null for one engine.
    /// </summary>
    public IReadOnlyList<ThroughputResult>? PerGpu { get; init; }

    /// <summary>With --gpus: whether the GPUs' output tok/s agree within ±5 %, and the slow card if not.</summary>
    public GpuAgreement? Agreement { get; init; }

    public double RequestsPerSecond => ElapsedSeconds > 0 ? CompletedRequests / ElapsedSeconds : 0;
    public double OutputTokensPerSecond => ElapsedSeconds > 0 ? OutputTokens / ElapsedSeconds : 0;
    public double TotalTokensPerSecond => ElapsedSeconds > 0 ? (PromptTokens + OutputTokens) / ElapsedSeconds : 0;
}
