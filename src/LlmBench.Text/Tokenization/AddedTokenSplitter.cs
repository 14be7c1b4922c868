using System.Buffers;

namespace LlmBench.Text.Tokenization;

/// <summary>
/// Finds added tokens in text the way HF does: leftmost match first, the longest token where several start at the
/// same place, honouring lstrip/rstrip/single_word. Microsoft.ML.Tokenizers' BPE has no equivalent hook.
/// </summary>
internal sealed class AddedTokenSplitter
{
    private readonly Dictionary<char, AddedToken[]> _byFirstChar;
    private readonly SearchValues<char> _firstChars;

    public AddedTokenSplitter(IEnumerable<AddedToken> tokens)
    {
        _byFirstChar = tokens.Where(t => t.Content.Length > 0)
            .GroupBy(t => t.Content[0])
            .ToDictionary(g => g.Key, g => g.OrderByDescending(t => t.Content.Length).ToArray());
        _firstChars = SearchValues.Create(_byFirstChar.Keys.ToArray());
    }

    public bool IsEmpty => _byFirstChar.Count == 0;

    /// <summary>The text cut into plain runs (TokenId -1) and added tokens, in order.</summary>
    public List<(int Start, int Length, int TokenId)> Split(string text)
    {
        var segments = new List<(int Start, int Length, int TokenId)>();
        int plainStart = 0;
        int at = 0;
        while (at < text.Length)
        {
            int found = text.AsSpan(at).IndexOfAny(_firstChars);
            if (found < 0)
            {
                break;
            }

            at += found;
            AddedToken? token = LongestAt(text, at);
            if (token is null)
            {
                at++;
                continue;
            }

            int start = at, end = at + token.Content.Length;
            while (token.LStrip && start > plainStart && char.IsWhiteSpace(text[start - 1]))
            {
                start--;
            }

            while (token.RStrip && end < text.Length && char.IsWhiteSpace(text[end]))
            {
                end++;
            }

            if (start > plainStart)
            {
                segments.Add((plainStart, start - plainStart, -1));
            }

            segments.Add((start, end - start, token.Id));
            plainStart = at = end;
        }

        if (plainStart < text.Length)
        {
            segments.Add((plainStart, text.Length - plainStart, -1));
        }

        return segments;
    }

    private AddedToken? LongestAt(string text, int at)
    {
        foreach (AddedToken token in _byFirstChar[text[at]])
        {
            int end = at + token.Content.Length;
            if (text.AsSpan(at).StartsWith(token.Content, StringComparison.Ordinal)
                && (!token.SingleWord || ((at == 0 || !IsWordChar(text[at - 1])) && (end == text.Length || !IsWordChar(text[end])))))
            {
                return token;
            }
        }

        return null;
    }

    private static bool IsWordChar(char c) => char.IsLetterOrDigit(c) || c == '_';
}
