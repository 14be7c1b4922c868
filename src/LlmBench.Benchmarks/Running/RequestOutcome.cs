namespace LlmBench.Benchmarks.Running;

/// <summary>
/// One request's timeline on the runner's clock. Token times are the end of the engine step that produced the
/// token: that is when the caller of <c>Step</c> first sees it, as a streaming client would.
/// </summary>
public sealed record RequestOutcome(
    string Id,
    int PromptTokens,
    int OutputTokens,
    double SendSeconds,
    double? FirstTokenSeconds,
    double? LastTokenSeconds,
    bool Aborted)
{
    public double? TtftMs => FirstTokenSeconds is { } first ? (first - SendSeconds) * 1000 : null;

    public double? E2elMs => LastTokenSeconds is { } last ? (last - SendSeconds) * 1000 : null;

    /// <summary>(E2EL − TTFT) / (output tokens − 1); only defined for more than one output token.</summary>
    public double? TpotMs => OutputTokens > 1 && TtftMs is { } ttft && E2elMs is { } e2el ? (e2el - ttft) / (OutputTokens - 1) : null;
}
