using System.Diagnostics;

namespace LlmBench.Benchmarks.Running;

/// <summary>The runners' monotonic clock in seconds; tests substitute one that a scripted engine advances.</summary>
public interface IBenchmarkClock
{
    double NowSeconds { get; }
}

/// <summary>Seconds since construction on <see cref="Stopwatch"/>, the host's monotonic clock.</summary>
public sealed class StopwatchClock : IBenchmarkClock
{
    private readonly long _startTicks = Stopwatch.GetTimestamp();

    public double NowSeconds => Stopwatch.GetElapsedTime(_startTicks).TotalSeconds;
}
