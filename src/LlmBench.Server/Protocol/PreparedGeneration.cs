using LlmBench.Engine.Api;

namespace LlmBench.Server.Protocol;

/// <summary>A validated request, ready for the engine: prompt ids, sampling, and how to answer.</summary>
/// <param name="ReturnTokenIds">vLLM's return_token_ids: whole responses carry prompt_token_ids and token_ids.</param>
public sealed record PreparedGeneration(int[] PromptIds, SamplingParams Sampling, bool Stream, bool IncludeUsage, bool ReturnTokenIds = false);
