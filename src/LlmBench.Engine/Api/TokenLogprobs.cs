namespace LlmBench.Engine.Api;

/// <summary>One candidate token and its log probability.</summary>
public readonly record struct TopLogprob(int TokenId, float Logprob);

/// <summary>
/// The log probabilities of one generated token, as vLLM returns them by default ("raw" logprobs): log_softmax of the
/// model's logits at that position, before temperature, top-k, top-p or min_tokens touch them.
/// </summary>
/// <param name="Logprob">The sampled token's log probability.</param>
/// <param name="Top">The most likely tokens, best first (ties by lower id), as many as the request's
/// <see cref="SamplingParams.Logprobs"/> asked; empty when it asked for 0.</param>
public sealed record TokenLogprobs(float Logprob, IReadOnlyList<TopLogprob> Top);
