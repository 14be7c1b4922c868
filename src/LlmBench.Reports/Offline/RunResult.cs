using LlmBench.Reports.Results;

namespace LlmBench.Reports.Offline;

/// <summary>One engine's part of a `run`: its score over the window and how it got there.</summary>
public sealed record RunEngineResult
{
    /// <summary>"cpu (2 cores)" or "cuda:0 NVIDIA H100 80GB HBM3".</summary>
    public required string Device { get; init; }

    public required double WarmupSeconds { get; init; }
    public required double WindowSeconds { get; init; }

    /// <summary>Output tokens emitted inside the window, by requests that finished or were still running at its end.</summary>
    public required long OutputTokens { get; init; }

    public required long PromptTokensOfCompleted { get; init; }
    public required int CompletedRequests { get; init; }
    public required int ConcurrencyTarget { get; init; }
    public required LatencySummary Latency { get; init; }
    public required EngineActivity Activity { get; init; }
    public required IReadOnlyList<WindowRate> Windows { get; init; }
    public required StabilityVerdict Verdict { get; init; }
    public GpuHealth? Health { get; init; }

    /// <summary>The memory-bandwidth floor of this closed loop; null on the CPU or where the GPU's bandwidth is unknown.</summary>
    public FloorEstimate? Floor { get; init; }

    public string? Error { get; init; }
    public bool Incomplete { get; init; }

    /// <summary>The score: output tokens per second of window.</summary>
    public double OutputTokensPerSecond => WindowSeconds > 0 ? OutputTokens / WindowSeconds : 0;

    public double GenerationsPerSecond => WindowSeconds > 0 ? CompletedRequests / WindowSeconds : 0;

    public double? JoulesPerOutputToken => Health?.EnergyJoules is { } j && OutputTokens > 0 ? j / OutputTokens : null;

    public double? OutputTokensPerJoule => Health?.EnergyJoules is { } j && j > 0 ? OutputTokens / j : null;
}

/// <summary>`llmbench run`, frozen: one entry per engine (one per GPU with --gpus) and their total.</summary>
public sealed record RunResult
{
    public required string Date { get; init; }
    public required ModelInfo Model { get; init; }
    public required WorkloadInfo Workload { get; init; }
    public required PlatformInfo Platform { get; init; }
    /// <summary>The command line, engine options, seed and build: what it takes to run this again.</summary>
    public required ResultConfiguration Configuration { get; init; }
    public required double StartupSeconds { get; init; }
    public required double RequestedDurationSeconds { get; init; }
    public required IReadOnlyList<RunEngineResult> Engines { get; init; }

    /// <summary>The sampled GPUs over the run (warm-up included), down-sampled; null without NVML.</summary>
    public IReadOnlyList<GpuTimeSeries>? Telemetry { get; init; }

    public double TotalOutputTokensPerSecond => Engines.Sum(e => e.OutputTokensPerSecond);
    public double TotalGenerationsPerSecond => Engines.Sum(e => e.GenerationsPerSecond);
    public long TotalOutputTokens => Engines.Sum(e => e.OutputTokens);
    public bool Valid => Engines.Count > 0 && Engines.All(e => e.Verdict.Valid);
    public bool Incomplete => Engines.Any(e => e.Incomplete);
}
