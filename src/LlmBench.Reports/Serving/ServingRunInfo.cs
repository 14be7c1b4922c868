using LlmBench.Reports.Offline;
using LlmBench.Reports.Results;

namespace LlmBench.Reports.Serving;

/// <summary>What was run and against what: the configuration part of vLLM's result JSON, plus ours.</summary>
public sealed record ServingRunInfo
{
    /// <summary>Local start time as vLLM writes it, "yyyyMMdd-HHmmss".</summary>
    public required string Date { get; init; }

    /// <summary>openai or openai-chat.</summary>
    public required string Backend { get; init; }

    public string? Label { get; init; }
    public required string ModelId { get; init; }
    public string? TokenizerId { get; init; }
    public required int NumPrompts { get; init; }

    /// <summary>Requests per second; <see cref="double.PositiveInfinity"/> sends everything at once.</summary>
    public double RequestRate { get; init; } = double.PositiveInfinity;

    public double Burstiness { get; init; } = 1.0;
    public int? MaxConcurrency { get; init; }
    public required string DatasetName { get; init; }
    public required string ApiUrl { get; init; }

    /// <summary>--duration: a fixed-duration run that cycles the dataset; null for a fixed number of prompts.</summary>
    public double? DurationLimitSeconds { get; init; }

    /// <summary>--metadata KEY=VALUE pairs, in the order given; written as top-level keys as vLLM does.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Metadata { get; init; } = [];

    /// <summary>--percentile-metrics: which of ttft, tpot, itl, e2el, client_queue_time to print and save.</summary>
    public IReadOnlyList<string> PercentileMetrics { get; init; } = ["ttft", "tpot", "itl"];

    public IReadOnlyList<double> Percentiles { get; init; } = [99];
    public GoodputSlo Goodput { get; init; } = GoodputSlo.None;

    /// <summary>--latency-from: "sent" (vLLM's: TTFT and E2EL from the actual send) or "scheduled" (from when the arrival schedule had the request leave).</summary>
    public string LatencyFrom { get; init; } = LatencyBasis.Sent;

    /// <summary>--ramp-up-strategy and its RPS, written as vLLM's ramp_up_strategy, ramp_up_start_rps, ramp_up_end_rps; null without a ramp.</summary>
    public RampUpInfo? RampUp { get; init; }

    /// <summary>--slice-duration in seconds; null when the run was not sliced.</summary>
    public double? SliceDurationSeconds { get; init; }

    /// <summary>--save-detailed: the result JSON also carries vLLM's per-request arrays (input_lens, output_lens, ttfts, itls, start_times, generated_texts, errors).</summary>
    public bool SaveDetailed { get; init; }

    /// <summary>--fixed-schedule: requests left at their trace timestamps.</summary>
    public bool FixedSchedule { get; init; }

    /// <summary>--multi-turn: conversations sent as growing chats, each turn a request of its own.</summary>
    public bool MultiTurn { get; init; }
}

/// <summary>A ramp-up as the result records it.</summary>
public sealed record RampUpInfo(string Strategy, double StartRps, double EndRps);

/// <summary>What TTFT and E2EL are measured from: the actual send (vLLM's) or the scheduled send time (no coordinated omission).</summary>
public static class LatencyBasis
{
    public const string Sent = "sent";
    public const string Scheduled = "scheduled";

    public static readonly IReadOnlyList<string> All = [Sent, Scheduled];

    /// <summary>The records as the metrics see them on <paramref name="basis"/>.</summary>
    public static IReadOnlyList<RequestRecord> Apply(IReadOnlyList<RequestRecord> records, string basis) =>
        basis == Scheduled ? records.Select(r => r.FromScheduled()).ToArray() : records;
}

/// <summary>
/// The load generator's check on itself: how late sends left against their schedule and how busy the
/// client's own CPU was, so a reader knows whether the client or the server set the numbers.
/// </summary>
public sealed record ClientHealth(
    double SendLagP50Ms,
    double SendLagP99Ms,
    double SendLagMaxMs,
    double CpuUtilization,
    int CpuCores,
    IReadOnlyList<string> Warnings)
{
    public static readonly ClientHealth NotMeasured = new(0, 0, 0, 0, Environment.ProcessorCount, []);
}

/// <summary>One serving run, frozen: every exporter is a pure function of it.</summary>
public sealed record ServingResult(
    ServingRunInfo Info,
    ServingMetrics Metrics,
    IReadOnlyList<RequestRecord> Records,
    ClientHealth Client)
{
    /// <summary>The command line, seed and build that measured (the engine's options when the server was ours to see).</summary>
    public ResultConfiguration Configuration { get; init; } = ResultConfiguration.None;

    /// <summary>--slice-duration: per-window throughput and latencies (on the --latency-from basis); null when not asked.</summary>
    public IReadOnlyList<TimeSlice>? TimeSlices =>
        Info.SliceDurationSeconds is { } s ? Serving.TimeSlices.Compute(MeasuredRecords, s, Metrics.DurationSeconds, Info.Percentiles) : null;

    /// <summary>The records with TTFT and E2EL on the run's --latency-from basis, as the metrics were computed.</summary>
    public IReadOnlyList<RequestRecord> MeasuredRecords => LatencyBasis.Apply(Records, Info.LatencyFrom);

    /// <summary>
    /// The server's GPUs over the whole run (NVML, sampled only when the server is on this machine; warm-ups
    /// included), one entry per GPU; null when nothing was sampled.
    /// </summary>
    public IReadOnlyList<GpuHealth>? GpuTelemetry { get; init; }

    /// <summary>The same GPUs over time, down-sampled ("llmbench"."telemetry"); null when nothing was sampled.</summary>
    public IReadOnlyList<GpuTimeSeries>? GpuTimeSeries { get; init; }

    /// <summary>The energy of every sampled GPU together, or null unless each has a figure.</summary>
    public double? GpuEnergyJoules =>
        GpuTelemetry is { Count: > 0 } gpus && gpus.All(g => g.EnergyJoules is not null) ? gpus.Sum(g => g.EnergyJoules!.Value) : null;

    /// <summary><see cref="GpuEnergyJoules"/> per output token of the successful requests.</summary>
    public double? GpuJoulesPerOutputToken => JoulesPerOutputToken(GpuEnergyJoules);

    /// <summary>Energy spread over the run's output tokens; null without energy or tokens.</summary>
    public double? JoulesPerOutputToken(double? joules) =>
        joules is { } j && Metrics.TotalOutputTokens > 0 ? j / Metrics.TotalOutputTokens : null;
}
