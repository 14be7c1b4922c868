namespace LlmBench.Reports.Offline;

/// <summary>Output tok/s in one fixed-length slice of the measurement window.</summary>
public sealed record WindowRate(int Index, double StartSeconds, double EndSeconds, long OutputTokens, double OutputTokensPerSecond, double DeviationFromMean);

/// <summary>
/// Whether a `run` score may be quoted: every window within the tolerance of the mean, no engine error, not cut
/// short, warm-up excluded. Throttling is reported in <see cref="Notes"/> but does not invalidate a run.
/// </summary>
public sealed record StabilityVerdict(bool Valid, IReadOnlyList<string> Reasons, IReadOnlyList<string> Notes, double WindowSeconds, double Tolerance);
