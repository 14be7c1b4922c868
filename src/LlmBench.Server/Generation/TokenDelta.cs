namespace LlmBench.Server.Generation;

/// <summary>One generated token as the client sees it: its text (maybe empty) and, on the last, why it ended.</summary>
public readonly record struct TokenDelta(string Text, string? FinishReason);
