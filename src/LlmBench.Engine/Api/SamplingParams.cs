namespace LlmBench.Engine.Api;

/// <summary>How one request samples and when it stops. Immutable; <see cref="Validate"/> before use.</summary>
public sealed record SamplingParams
{
    /// <summary>0 means greedy (argmax).</summary>
    public float Temperature { get; init; } = 1.0f;

    /// <summary>Nucleus mass in (0, 1]; 1 disables it.</summary>
    public float TopP { get; init; } = 1.0f;

    /// <summary>0 (or -1, as vLLM accepts) disables top-k.</summary>
    public int TopK { get; init; }

    /// <summary>Drops tokens whose probability (after temperature) is below MinP × the most likely token's; 0 disables it (vLLM's min_p).</summary>
    public float MinP { get; init; }

    /// <summary>Seed of this request's own generator; null draws one from the engine.</summary>
    public ulong? Seed { get; init; }

    public int MaxTokens { get; init; } = 16;

    /// <summary>EOS and stop strings are ignored until this many tokens were generated.</summary>
    public int MinTokens { get; init; }

    public bool IgnoreEos { get; init; }

    /// <summary>Text that ends generation (checked on detokenized text, outside the engine's step).</summary>
    public IReadOnlyList<string> StopStrings { get; init; } = [];

    /// <summary>Token ids that end generation besides the model's EOS ids.</summary>
    public IReadOnlyList<int> StopTokenIds { get; init; } = [];

    /// <summary>
    /// Log probabilities to return with each generated token: null for none, else the sampled token's and this many
    /// of the most likely tokens' (0 gives the sampled token's alone), as vLLM's SamplingParams.logprobs.
    /// </summary>
    public int? Logprobs { get; init; }

    /// <summary>The most top log probabilities a request may ask for (vLLM's default --max-logprobs).</summary>
    public const int MaxLogprobs = 20;

    public static SamplingParams Greedy(int maxTokens, bool ignoreEos = false) =>
        new() { Temperature = 0, MaxTokens = maxTokens, IgnoreEos = ignoreEos };

    public bool IsGreedy => Temperature == 0 || TopK == 1;

    /// <summary>Throws <see cref="ArgumentException"/> with a sentence a person can act on.</summary>
    public void Validate()
    {
        if (float.IsNaN(Temperature) || Temperature < 0)
            throw new ArgumentException($"temperature must be 0 (greedy) or positive, got {Temperature}.");
        if (float.IsNaN(TopP) || TopP <= 0 || TopP > 1)
            throw new ArgumentException($"top_p must be in (0, 1], got {TopP}.");
        if (float.IsNaN(MinP) || MinP < 0 || MinP > 1)
            throw new ArgumentException($"min_p must be in [0, 1], got {MinP}.");
        if (TopK < -1)
            throw new ArgumentException($"top_k must be -1 or 0 (disabled) or a positive count, got {TopK}.");
        if (MaxTokens < 1)
            throw new ArgumentException($"max_tokens must be at least 1, got {MaxTokens}.");
        if (MinTokens < 0 || MinTokens > MaxTokens)
            throw new ArgumentException($"min_tokens must be between 0 and max_tokens ({MaxTokens}), got {MinTokens}.");
        if (Logprobs is < 0 or > MaxLogprobs)
            throw new ArgumentException($"logprobs must be between 0 and {MaxLogprobs}, got {Logprobs}.");
    }
}
