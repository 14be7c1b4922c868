using LlmBench.Text.Tokenization;

namespace LlmBench.LoadGen.Tests.Fakes;

/// <summary>
/// A tokenizer with BPE's awkward property: ids 0–25 are the letters a–z, ids 26–701 the letter pairs
/// "aa"…"zz", and encoding greedily merges two letters into a pair, so decoding random ids and
/// encoding the text again changes the count (re-tokenization drift). Any other character c is id 702 + c.
/// </summary>
internal sealed class PairTokenizer(params int[] eosIds) : ITextTokenizer
{
    public const int OrdinaryIdLimit = 702;

    public IReadOnlyList<int> EosTokenIds { get; } = eosIds;

    public int[] Encode(string text)
    {
        var ids = new List<int>(text.Length);
        for (int i = 0; i < text.Length; i++)
        {
            if (IsLetter(text[i]) && i + 1 < text.Length && IsLetter(text[i + 1]))
            {
                ids.Add(26 + (text[i] - 'a') * 26 + (text[i + 1] - 'a'));
                i++;
            }
            else
            {
                ids.Add(IsLetter(text[i]) ? text[i] - 'a' : OrdinaryIdLimit + text[i]);
            }
        }

        return [.. ids];
    }

    public string Decode(ReadOnlySpan<int> ids, bool skipSpecialTokens = false)
    {
        var sb = new System.Text.StringBuilder();
        foreach (var id in ids)
        {
            if (id < 26)
                sb.Append((char)('a' + id));
            else if (id < OrdinaryIdLimit)
                sb.Append((char)('a' + (id - 26) / 26)).Append((char)('a' + (id - 26) % 26));
            else
                sb.Append((char)(id - OrdinaryIdLimit));
        }

        return sb.ToString();
    }

    public string ApplyChatTemplate(IReadOnlyList<ChatMessage> messages, bool addGenerationPrompt = true) =>
        string.Concat(messages.Select(m => $"{m.Role}: {m.Content}\n"));

    public IIncrementalDetokenizer CreateDetokenizer(bool skipSpecialTokens = true) => throw new NotSupportedException();

    private static bool IsLetter(char c) => c is >= 'a' and <= 'z';
}
