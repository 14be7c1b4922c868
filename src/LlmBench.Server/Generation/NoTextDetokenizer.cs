using LlmBench.Text.Tokenization;

namespace LlmBench.Server.Generation;

/// <summary>
/// The detokenizer of a model served without a tokenizer: every token decodes to no text, so responses carry
/// only counts (and ids, with return_token_ids), as vLLM answers under skip_tokenizer_init.
/// </summary>
internal sealed class NoTextDetokenizer : IIncrementalDetokenizer
{
    public static NoTextDetokenizer Instance { get; } = new();

    public string Push(int tokenId) => "";

    public string Text => "";
}
