using LlmBench.Engine.Api;

namespace LlmBench.Server.Generation;

/// <summary>
/// One generated token as the client sees it: its text (maybe empty, or held back for a stop string) and, on the last,
/// why it ended; with its id and log probabilities when the request asked for them.
/// </summary>
public readonly record struct TokenDelta(string Text, string? FinishReason)
{
    public int TokenId { get; init; } = -1;

    public TokenLogprobs? Logprobs { get; init; }
}
