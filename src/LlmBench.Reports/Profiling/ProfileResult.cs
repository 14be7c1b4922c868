using LlmBench.Reports.Offline;
using LlmBench.Reports.Results;

namespace LlmBench.Reports.Profiling;

/// <summary>
/// `llmbench profile`, frozen: where one prefill step's and one decode step's time goes, by kernel role, with the
/// bytes each role must move and the bandwidth it achieved against the GPU's measured peak.
/// </summary>
public sealed record ProfileResult
{
    public required string Date { get; init; }
    public required ModelInfo Model { get; init; }
    public required PlatformInfo Platform { get; init; }
    public required ResultConfiguration Configuration { get; init; }
    public required int BatchSize { get; init; }
    public required int InputLen { get; init; }
    public required int OutputLen { get; init; }

    /// <summary>Tokens of context each sequence had in the profiled decode step.</summary>
    public required int DecodeContext { get; init; }

    /// <summary>How the per-call times were measured (the issue asks the output to say it).</summary>
    public required string Method { get; init; }

    /// <summary>The copy bandwidth `llmbench peak` stored for this GPU; null when it never ran here.</summary>
    public double? PeakBandwidthBytesPerSecond { get; init; }

    /// <summary>True when decode steps replayed CUDA graphs (not --enforce-eager).</summary>
    public required bool Graphs { get; init; }

    /// <summary>Median GPU time of production decode steps around the profiled one (upload to readback).</summary>
    public required double DecodeStepGpuMs { get; init; }

    /// <summary>Median host time of the same steps: GPU time plus what the GPU waited for the host.</summary>
    public required double DecodeStepHostMs { get; init; }

    public required int TimedSteps { get; init; }
    public required ProfiledStep Prefill { get; init; }
    public required ProfiledStep Decode { get; init; }

    /// <summary>Production decode steps (graph replays) as CUPTI recorded their kernels; null when no trace ran.</summary>
    public ProfiledTrace? DecodeTrace { get; init; }

    /// <summary>Why no CUPTI trace ran (CUPTI missing or refused, output too short); null when one did.</summary>
    public string? DecodeTraceNote { get; init; }

    /// <summary>Share of a production decode step the GPU sat idle waiting for the host (overlap hides it in run and serve).</summary>
    public double DecodeIdleShare => DecodeStepHostMs > 0 ? Math.Clamp(1 - (DecodeStepGpuMs / DecodeStepHostMs), 0, 1) : 0;
}

/// <summary>One profiled step, summed by role.</summary>
/// <param name="KernelMs">Σ of the calls' times, each call alone (no launch gaps, no overlap between kernels).</param>
/// <param name="Bytes">What the step must move at least.</param>
public sealed record ProfiledStep(string Name, int Tokens, int DecodeSequences, int PrefillTokens, int Calls, double KernelMs, double Bytes, IReadOnlyList<ProfiledRole> Roles);

/// <summary>One role of a step (all layers together).</summary>
/// <param name="Role">snake_case: qkv_proj, decode_attention, ...</param>
/// <param name="Family">The .cu file or cuBLASLt.</param>
/// <param name="Calls">Calls per step.</param>
/// <param name="FractionOfPeak">Achieved bandwidth over the measured peak, null without one.</param>
public sealed record ProfiledRole(string Role, string Family, int Calls, double MicrosecondsPerStep, double Share, double Bytes, double AchievedBytesPerSecond, double? FractionOfPeak);

/// <summary>Production decode steps as CUPTI saw them (graph replays, programmatic launch), averaged over the steps.</summary>
/// <param name="SpanMicroseconds">First kernel start to last kernel end of a step.</param>
/// <param name="BusyMicroseconds">Time within the span when at least one kernel ran.</param>
/// <param name="IdleShare">1 − busy / span: launch latency and dependency gaps inside the step.</param>
/// <param name="Dropped">Records CUPTI dropped; 0 when the figures are complete.</param>
public sealed record ProfiledTrace(string Method, int Steps, double LaunchesPerStep, double SpanMicroseconds, double BusyMicroseconds, double IdleShare, long Dropped, IReadOnlyList<ProfiledKernel> Kernels);

/// <summary>One kernel name in a traced step.</summary>
/// <param name="Share">Of the summed kernel time of the step.</param>
public sealed record ProfiledKernel(string Name, double LaunchesPerStep, double MicrosecondsPerStep, double Share);
