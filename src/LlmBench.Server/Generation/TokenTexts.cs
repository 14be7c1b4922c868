using System.Text;
using LlmBench.Text.Tokenization;

namespace LlmBench.Server.Generation;

/// <summary>
/// The text a single token shows in a logprobs answer: the token decoded alone, special tokens included (a token that
/// holds part of a UTF-8 character decodes to U+FFFD, as vLLM shows it); without a tokenizer "token_id:N", vLLM's
/// spelling under --return-tokens-as-token-ids.
/// </summary>
internal sealed class TokenTexts(ITextTokenizer? tokenizer)
{
    public string Of(int tokenId) => tokenizer is null ? $"token_id:{tokenId}" : tokenizer.Decode([tokenId]);

    /// <summary>The UTF-8 bytes of <see cref="Of"/>, as OpenAI's chat logprobs carry them.</summary>
    public static int[] Bytes(string text) => Array.ConvertAll(Encoding.UTF8.GetBytes(text), b => (int)b);
}
