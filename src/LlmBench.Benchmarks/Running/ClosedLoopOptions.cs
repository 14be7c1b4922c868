using LlmBench.Benchmarks.Workloads;

namespace LlmBench.Benchmarks.Running;

/// <summary>How `llmbench run` drives one engine: requests in flight, warm-up, window, and the stability windows.</summary>
public sealed record ClosedLoopOptions
{
    /// <summary>Requests kept in flight (the standard workload's 256); the engine queues what it cannot run yet.</summary>
    public int Concurrency { get; init; } = 256;

    public double WarmupSeconds { get; init; } = 30;

    public double DurationSeconds { get; init; } = 300;

    /// <summary>Length of the slices whose rates must agree for a valid run (docs/WORKLOADS.md: 30 s).</summary>
    public double StabilityWindowSeconds { get; init; } = 30;

    /// <summary>Largest relative distance of a slice's rate from the mean of all slices.</summary>
    public double StabilityTolerance { get; init; } = 0.05;

    /// <summary>Prompt lengths of the stream: the standard's U[100, 1024], shorter on the CPU (RunCommand says why).</summary>
    public LengthRange InputLengths { get; init; } = LengthRange.Standard;

    /// <summary>Output lengths of the stream: the standard's U[100, 1024], shorter on the CPU.</summary>
    public LengthRange OutputLengths { get; init; } = LengthRange.Standard;

    /// <summary>True when both length ranges are the standard workload's (docs/WORKLOADS.md).</summary>
    public bool IsStandardWorkload => InputLengths.IsStandard && OutputLengths.IsStandard;

    public float Temperature { get; init; } = 0.6f;

    public ulong Seed { get; init; }

    /// <summary>How far back "tok/s now" in the live view looks.</summary>
    public double RecentRateSeconds { get; init; } = 2;
}
