using LlmBench.Engine;
using LlmBench.Engine.Tokenization;

namespace LlmBench.Cli;

/// <summary>
/// Finds the tokenizer `bench serve` counts prompt tokens with (--tokenizer, else --model): a model
/// directory or a tokenizer.json. The tokenizer implementation arrives with the Tokenization branch;
/// until then this says so instead of guessing lengths.
/// </summary>
internal static class BenchTokenizer
{
    /// <returns>The tokenizer and the exclusive upper bound of its ordinary (non-special) ids.</returns>
    public static (ITextTokenizer Tokenizer, int OrdinaryIdLimit) Load(string nameOrPath) =>
        throw new UserErrorException($"No tokenizer could be loaded for '{nameOrPath}': this build has no tokenizer implementation yet.");
}
