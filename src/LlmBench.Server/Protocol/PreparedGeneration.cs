using LlmBench.Engine.Api;

namespace LlmBench.Server.Protocol;

/// <summary>A validated request, ready for the engine: prompt ids, sampling, and how to answer.</summary>
public sealed record PreparedGeneration(int[] PromptIds, SamplingParams Sampling, bool Stream, bool IncludeUsage);
