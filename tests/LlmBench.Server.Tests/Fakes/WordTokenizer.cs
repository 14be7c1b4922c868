using LlmBench.Text.Tokenization;

namespace LlmBench.Server.Tests.Fakes;

/// <summary>
/// A test tokenizer over a 100-word vocabulary: id k is the text "tk " (id 0, "t0 ", is EOS); any other
/// word encodes to the sum of its characters mod 100, so arbitrary prompts and chat templates encode.
/// </summary>
internal sealed class WordTokenizer : ITextTokenizer
{
    public const int VocabularySize = 100;
    public const int EosId = 0;

    public IReadOnlyList<int> EosTokenIds { get; } = [EosId];

    public int[] Encode(string text) =>
        text.Split([' ', '\n'], StringSplitOptions.RemoveEmptyEntries).Select(Word).ToArray();

    public string Decode(ReadOnlySpan<int> ids, bool skipSpecialTokens = false)
    {
        var sb = new System.Text.StringBuilder();
        foreach (var id in ids)
        {
            if (!(skipSpecialTokens && id == EosId))
                sb.Append(Piece(id));
        }

        return sb.ToString();
    }

    public string ApplyChatTemplate(IReadOnlyList<ChatMessage> messages, bool addGenerationPrompt = true) =>
        string.Concat(messages.Select(m => $"<|im_start|>{m.Role}\n{m.Content}<|im_end|>\n")) + (addGenerationPrompt ? "<|im_start|>assistant\n" : "");

    /// <summary>Qwen3's enable_thinking=false: an empty think block after the generation prompt (two more words here).</summary>
    public string ApplyChatTemplate(IReadOnlyList<ChatMessage> messages, bool addGenerationPrompt, bool enableThinking) =>
        ApplyChatTemplate(messages, addGenerationPrompt) + (addGenerationPrompt && !enableThinking ? "<think>\n\n</think>\n\n" : "");

    public IIncrementalDetokenizer CreateDetokenizer(bool skipSpecialTokens = true) => new Detokenizer(skipSpecialTokens);

    public static string Piece(int id) => $"t{id} ";

    private static int Word(string word) =>
        word.Length > 1 && word[0] == 't' && int.TryParse(word.AsSpan(1), out var id) && id is >= 0 and < VocabularySize
            ? id
            : word.Sum(c => c) % VocabularySize;

    private sealed class Detokenizer(bool skipSpecialTokens) : IIncrementalDetokenizer
    {
        private readonly System.Text.StringBuilder _text = new();

        public string Text => _text.ToString();

        public string Push(int tokenId)
        {
            var piece = skipSpecialTokens && tokenId == EosId ? "" : Piece(tokenId);
            _text.Append(piece);
            return piece;
        }
    }
}
