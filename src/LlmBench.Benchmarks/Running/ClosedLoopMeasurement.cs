using LlmBench.Reports.Offline;

namespace LlmBench.Benchmarks.Running;

/// <summary>Output tokens one engine step handed back, at the step's end.</summary>
public readonly record struct StepTokens(double TimeSeconds, int OutputTokens);

/// <summary>
/// What <see cref="ClosedLoopRunner"/> measured. The window is [<see cref="WindowStartSeconds"/>,
/// <see cref="WindowEndSeconds"/>] on the runner's clock, with the matching wall-clock instants for telemetry.
/// </summary>
public sealed record ClosedLoopMeasurement(
    double WarmupSeconds,
    double WindowStartSeconds,
    double WindowEndSeconds,
    DateTimeOffset WindowStartUtc,
    DateTimeOffset WindowEndUtc,
    IReadOnlyList<StepTokens> WindowSteps,
    IReadOnlyList<RequestOutcome> CompletedInWindow,
    EngineActivity Activity,
    int ConcurrencyTarget,
    string? Error,
    bool Cancelled)
{
    public double WindowSeconds => WindowEndSeconds - WindowStartSeconds;

    /// <summary>Tokens emitted inside the window, whether their request finished in it or not.</summary>
    public long OutputTokens => WindowSteps.Sum(s => (long)s.OutputTokens);
}
