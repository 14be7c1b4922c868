namespace LlmBench.Benchmarks.Workloads;

/// <summary>One request of an offline workload: token ids in, a fixed number of tokens out.</summary>
public sealed record WorkloadRequest(int[] PromptIds, int OutputTokens);
