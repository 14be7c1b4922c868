namespace LlmBench.Reports.Serving;

/// <summary>
/// What the load generator measured for one request, on the client's monotonic clock. Times are
/// relative to the moment just before the request was sent (TTFT, E2EL) or to the run's first send
/// (<see cref="StartSeconds"/>). A failed request keeps its error and is left out of latency statistics.
/// </summary>
public sealed record RequestRecord
{
    public required int Index { get; init; }
    public required bool Success { get; init; }
    public required int PromptTokens { get; init; }

    /// <summary>usage.completion_tokens from the final usage chunk, or a re-tokenized count (see <see cref="OutputTokensFromUsage"/>).</summary>
    public int OutputTokens { get; init; }

    /// <summary>False when the server sent no usage and the generated text was re-tokenized to count tokens.</summary>
    public bool OutputTokensFromUsage { get; init; } = true;

    /// <summary>Send time relative to the run's first send, in seconds.</summary>
    public required double StartSeconds { get; init; }

    /// <summary>First chunk carrying choices − send time.</summary>
    public double TtftMs { get; init; }

    /// <summary>Last chunk carrying choices − send time.</summary>
    public double E2elMs { get; init; }

    /// <summary>Gaps between consecutive chunks carrying choices.</summary>
    public IReadOnlyList<double> ItlMs { get; init; } = [];

    /// <summary>Time the request waited for a --max-concurrency slot after it was due.</summary>
    public double ClientQueueMs { get; init; }

    /// <summary>
    /// Time from when the arrival schedule had the request leave to when it actually left: the --max-concurrency queue
    /// plus the client's own lag. Latency measured from the scheduled time (--latency-from scheduled) adds it to TTFT and E2EL.
    /// </summary>
    public double SendWaitMs { get; init; }

    public string? Error { get; init; }

    /// <summary>The generated text, when the run keeps it (it is needed to re-tokenize when there is no usage).</summary>
    public string? GeneratedText { get; init; }

    /// <summary>(E2EL − TTFT) / (output tokens − 1); null for one token or fewer, where TPOT is undefined.</summary>
    public double? TpotMs => Success && OutputTokens > 1 ? (E2elMs - TtftMs) / (OutputTokens - 1) : null;

    public double EndSeconds => StartSeconds + E2elMs / 1000.0;

    /// <summary>This request with TTFT and E2EL counted from its scheduled send time instead of its actual send (ITL and TPOT do not change).</summary>
    public RequestRecord FromScheduled() => Success ? this with { TtftMs = TtftMs + SendWaitMs, E2elMs = E2elMs + SendWaitMs } : this;
}
