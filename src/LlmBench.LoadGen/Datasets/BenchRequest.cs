namespace LlmBench.LoadGen.Datasets;

/// <summary>
/// One prompt to send: its text, its length in tokens of the benchmark's tokenizer, and how many
/// tokens to ask for (max_tokens).
/// </summary>
public sealed record BenchRequest(string Prompt, int PromptTokens, int ExpectedOutputTokens);
