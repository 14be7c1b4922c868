using LlmBench.LoadGen.Client;

namespace LlmBench.LoadGen.Runner;

/// <summary>The traffic of one run, validated: what to send, when, and how many at once.</summary>
public sealed record RunPlan
{
    public required IReadOnlyList<PreparedRequest> Requests { get; init; }
    public double RequestRate { get; init; } = double.PositiveInfinity;
    public double Burstiness { get; init; } = 1.0;
    public int Seed { get; init; }

    /// <summary>--ramp-up-strategy: the rate moves from start to end over the requests instead of <see cref="RequestRate"/>; null for none.</summary>
    public Arrivals.RampUp? RampUp { get; init; }

    /// <summary>--fixed-schedule: request i leaves FixedOffsets[i] seconds after the start (a trace's times); null for the arrival process.</summary>
    public IReadOnlyList<double>? FixedOffsets { get; init; }

    /// <summary>At most this many requests in flight; null for no limit.</summary>
    public int? MaxConcurrency { get; init; }

    /// <summary>Requests sent (the first prompt, not recorded) before the measured run.</summary>
    public int NumWarmups { get; init; }

    /// <summary>Keep sending (cycling the requests) until this many seconds passed; null sends each request once.</summary>
    public double? DurationSeconds { get; init; }

    /// <summary>Prefix of the x-request-id header; the request's index follows it.</summary>
    public string RequestIdPrefix { get; init; } = "bench-";

    public void Validate()
    {
        if (Requests.Count == 0)
            throw new ArgumentException("A run needs at least one request.");
        if (MaxConcurrency is < 1)
            throw new ArgumentException($"--max-concurrency must be at least 1, got {MaxConcurrency}.");
        if (NumWarmups < 0)
            throw new ArgumentException($"--num-warmups must be 0 or more, got {NumWarmups}.");
        if (DurationSeconds is { } d && !(d > 0))
            throw new ArgumentException($"--duration must be a positive number of seconds, got {d}.");
        if (RampUp is not null && DurationSeconds is not null)
            throw new ArgumentException("--ramp-up-strategy moves the rate over a fixed number of requests; use --num-prompts, not --duration.");
        if (FixedOffsets is { } offsets && (offsets.Count != Requests.Count || offsets.Any(o => !(o >= 0) || double.IsInfinity(o))))
            throw new ArgumentException("A fixed schedule needs one time of 0 s or later per request.");
        if (FixedOffsets is not null && (DurationSeconds is not null || RampUp is not null || !double.IsPositiveInfinity(RequestRate)))
            throw new ArgumentException("--fixed-schedule sends each request at its trace time; leave out --request-rate, --ramp-up-strategy and --duration.");
        if (DurationSeconds is not null && MaxConcurrency is null && double.IsPositiveInfinity(RequestRate))
            throw new ArgumentException("--duration with --request-rate inf needs --max-concurrency, or the client would send without bound.");
    }
}

/// <summary>Live counts for a progress bar, updated by the runner without locks.</summary>
public sealed class RunProgress
{
    private int _completed;
    private int _failed;

    /// <summary>Requests the run will send, or null for a --duration run.</summary>
    public int? Total { get; init; }

    public int Completed => Volatile.Read(ref _completed);
    public int Failed => Volatile.Read(ref _failed);

    internal void Record(bool success)
    {
        Interlocked.Increment(ref _completed);
        if (!success)
            Interlocked.Increment(ref _failed);
    }
}
