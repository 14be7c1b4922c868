using LlmBench.Reports.Offline;
using LlmBench.Reports.Results;

namespace LlmBench.Reports.Sweep;

/// <summary>What became of one point of a sweep.</summary>
public enum SweepPointStatus
{
    /// <summary>Measured.</summary>
    Ok,

    /// <summary>Its sequences need more KV blocks than the cache has, or are longer than the model length; not run.</summary>
    DoesNotFit,

    /// <summary>The engine threw while running it; the note says what.</summary>
    Failed,

    /// <summary>Not reached (the engine failed earlier).</summary>
    NotRun,
}

/// <summary>
/// One point of `llmbench sweep`: a lockstep batch of <see cref="BatchSize"/> requests of <see cref="InputLen"/> prompt
/// and <see cref="OutputLen"/> output tokens. Figures are null unless <see cref="Status"/> is Ok (GPU ones also on the CPU).
/// </summary>
public sealed record SweepPoint
{
    /// <summary>"llmbench", "llmbench-eager" (--enforce-eager), "hf", "hf-compile" or "openai".</summary>
    public required string Backend { get; init; }
    public required int BatchSize { get; init; }

    /// <summary>The prompt length, or the low end of a varied range.</summary>
    public required int InputLen { get; init; }

    /// <summary>The high end of a varied range (prompts uniform in [InputLen, InputLenMax]); equal to InputLen when fixed. 0 reads as fixed.</summary>
    public int InputLenMax { get => Math.Max(_inputLenMax, InputLen); init => _inputLenMax = value; }

    private readonly int _inputLenMax;

    public required int OutputLen { get; init; }
    public required SweepPointStatus Status { get; init; }
    public string? Note { get; init; }
    public double? OutputThroughput { get; init; }
    public double? TotalTokenThroughput { get; init; }
    public double? RequestsPerSecond { get; init; }
    public double? MeanTtftMs { get; init; }
    public double? P99TtftMs { get; init; }
    public double? MeanTpotMs { get; init; }
    public double? P99TpotMs { get; init; }

    /// <summary>Prompt tokens of the batch over the time until every request had its first token.</summary>
    public double? PrefillTokensPerSecond { get; init; }

    /// <summary>(elapsed − last first token) / (output len − 1): one decode step of the whole batch.</summary>
    public double? DecodeStepMs { get; init; }

    /// <summary>NVML's GPU utilization, mean over the point; null on the CPU or without NVML.</summary>
    public double? GpuUtilizationPct { get; init; }

    /// <summary>NVML's memory used, peak over the point.</summary>
    public double? GpuMemoryUsedBytes { get; init; }

    /// <summary>Peak KV cache blocks in use during the batch.</summary>
    public int? KvBlocksUsed { get; init; }

    /// <summary>Measured output tok/s over the memory-bandwidth floor's; null on the CPU or where the bandwidth is unknown.</summary>
    public double? FractionOfFloor { get; init; }

    /// <summary>Seconds the backend spent compiling for this point before anything was timed (hf-compile); null where nothing compiles.</summary>
    public double? CompileSeconds { get; init; }

    /// <summary>The torch.compile mode that ran this point (hf-compile); null elsewhere.</summary>
    public string? CompileMode { get; init; }

    /// <summary>llmbench's output tok/s at the same batch and lengths over this point's; null for llmbench's own points or without both.</summary>
    public double? LlmbenchRatio { get; init; }

    /// <summary>The GPU of one entry of <see cref="PerGpu"/> ("cuda:1 NVIDIA H100 80GB HBM3"); null on the sweep's own points.</summary>
    public string? Device { get; init; }

    /// <summary>
    /// With --gpus: the point as each GPU measured it, all at once, in --gpus order; this point is then their total
    /// (<c>SweepAcrossGpus</c> says how each figure combines). Null for a sweep on one device and in older files.
    /// </summary>
    public IReadOnlyList<SweepPoint>? PerGpu { get; init; }

    /// <summary>With --gpus: whether the GPUs' output tok/s agree within ±5 % at this point; null unless every GPU measured it.</summary>
    public GpuAgreement? Agreement { get; init; }
}

/// <summary>One backend of a sweep: what ran, how long it took to start, and why it stopped when it failed.</summary>
/// <param name="Description">"cuda:0 NVIDIA H200 (transformers 5.17.0, torch 2.11.0)" and the like.</param>
/// <param name="StartupSeconds">Load (and for llmbench kernel compile and graph capture), not counted in any point; null when it did not start.</param>
/// <param name="Error">Why the backend failed (to start, or in the middle); null when it ran to the end.</param>
public sealed record SweepBackend(string Name, string? Description, double? StartupSeconds, string? Error);

/// <summary>The best points of a sweep, per docs/RESULTS.md; each null where no point qualifies.</summary>
/// <param name="Best">The highest output throughput.</param>
/// <param name="Saturation">Per (input, output) lengths, the smallest batch within 5 % of that length pair's best output throughput.</param>
/// <param name="SloChoice">The highest output throughput whose p99 TPOT and p99 TTFT meet the SLOs given; null without SLOs.</param>
public sealed record SweepChoices(SweepPoint? Best, IReadOnlyList<SweepPoint> Saturation, SweepPoint? SloChoice, SweepSlo Slo);

/// <summary>--tpot-slo-ms and --ttft-slo-ms, held against the p99s; null when not given.</summary>
public sealed record SweepSlo(double? TpotMs, double? TtftMs)
{
    public static readonly SweepSlo None = new(null, null);
    public bool Any => TpotMs is not null || TtftMs is not null;
}

/// <summary>`llmbench sweep`, frozen: every point in grid order, and the choices made from them.</summary>
public sealed record SweepResult
{
    public required string Date { get; init; }
    public required ModelInfo Model { get; init; }
    public required PlatformInfo Platform { get; init; }
    public required ResultConfiguration Configuration { get; init; }
    public required double StartupSeconds { get; init; }
    public required IReadOnlyList<SweepPoint> Points { get; init; }
    public required SweepChoices Choices { get; init; }

    /// <summary>The backends in the order they ran; one for a single-backend sweep.</summary>
    public IReadOnlyList<SweepBackend> Backends { get; init; } = [];

    /// <summary>True when Ctrl-C stopped the sweep; the points measured until then are kept.</summary>
    public bool Incomplete { get; init; }

    /// <summary>The GPU over the whole sweep, down-sampled; null on the CPU or without NVML.</summary>
    public IReadOnlyList<GpuTimeSeries>? Telemetry { get; init; }
}
