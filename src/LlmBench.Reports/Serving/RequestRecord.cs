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

    public string? Error { get; init; }

    /// <summary>The generated text, when the run keeps it (it is needed to re-tokenize when there is no usage).</summary>
    public string? GeneratedText { get; init; }

    /// <summary>(E2EL − TTFT) / (output tokens − 1); null for one token or fewer, where TPOT is undefined.</summary>
    public double? TpotMs => Success && OutputTokens > 1 ? (E2elMs - TtftMs) / (OutputTokens - 1) : null;

    public double EndSeconds => StartSeconds + E2elMs / 1000.0;
}
