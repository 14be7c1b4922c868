namespace LlmBench.LoadGen.Datasets;

/// <summary>
/// One prompt to send: its text, its length in tokens of the benchmark's tokenizer, and how many
/// tokens to ask for (max_tokens).
/// </summary>
public sealed record BenchRequest(string Prompt, int PromptTokens, int ExpectedOutputTokens)
{
    /// <summary>
    /// A conversation's later user turns (--multi-turn): each is sent after the previous answer arrived, as a chat
    /// holding every earlier turn and the server's replies; null for a single request.
    /// </summary>
    public IReadOnlyList<BenchRequest>? LaterTurns { get; init; }

    /// <summary>The token ids to send as the prompt instead of the text (traces, whose lengths and shared prefixes must be exact); null sends the text.</summary>
    public int[]? PromptIds { get; init; }

    /// <summary>When a trace replay (--fixed-schedule) sends this request, in seconds from the start; null for the arrival process's schedule.</summary>
    public double? TimestampSeconds { get; init; }
}
