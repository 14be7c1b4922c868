using System.Text.RegularExpressions;
using Microsoft.ML.Tokenizers;

namespace LlmBench.Engine.Tokenization;

/// <summary>
/// HF's Split pre-tokenizer with behavior "Isolated": every regex match is a piece, and so is any text between
/// matches. (Microsoft.ML.Tokenizers' RegexPreTokenizer yields the matches only, which drops the gaps for a
/// pattern that does not cover every character.)
/// </summary>
internal sealed class IsolatedSplitPreTokenizer : PreTokenizer
{
    private readonly Regex _regex;

    public IsolatedSplitPreTokenizer(Regex regex) => _regex = regex;

    public override IEnumerable<(int Offset, int Length)> PreTokenize(string text) =>
        text is null ? [] : Split(text.AsSpan());

    public override IEnumerable<(int Offset, int Length)> PreTokenize(ReadOnlySpan<char> text) => Split(text);

    private List<(int Offset, int Length)> Split(ReadOnlySpan<char> text)
    {
        var pieces = new List<(int Offset, int Length)>();
        int end = 0;
        foreach (ValueMatch match in _regex.EnumerateMatches(text))
        {
            if (match.Length == 0)
            {
                continue;
            }

            if (match.Index > end)
            {
                pieces.Add((end, match.Index - end));
            }

            pieces.Add((match.Index, match.Length));
            end = match.Index + match.Length;
        }

        if (end < text.Length)
        {
            pieces.Add((end, text.Length - end));
        }

        return pieces;
    }
}
