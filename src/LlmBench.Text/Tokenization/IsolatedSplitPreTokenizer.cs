using System.Text.RegularExpressions;
using Microsoft.ML.Tokenizers;

namespace LlmBench.Text.Tokenization;

/// <summary>
/// HF's Split pre-tokenizer with behavior "Isolated": every regex match is a piece, and so is any text between
/// matches (Microsoft.ML.Tokenizers' RegexPreTokenizer yields the matches only). Text without surrogates runs the
/// pattern as written; text with them runs the surrogate-aware rewrite (<see cref="OnigurumaPattern"/>), which is
/// 1.5-2.5 times slower and compiled only when first needed.
/// </summary>
internal sealed class IsolatedSplitPreTokenizer : PreTokenizer
{
    private const RegexOptions Options = RegexOptions.Compiled | RegexOptions.CultureInvariant;
    private readonly Regex _bmpOnly;
    private readonly Lazy<Regex> _codePoints;

    /// <exception cref="ArgumentException">.NET cannot run the pattern.</exception>
    /// <exception cref="FormatException">The pattern uses Oniguruma syntax that cannot be rewritten.</exception>
    public IsolatedSplitPreTokenizer(string onigurumaPattern)
    {
        string rewritten = OnigurumaPattern.ToDotNet(onigurumaPattern);
        _ = new Regex(rewritten, RegexOptions.CultureInvariant); // parse now, so that a bad pattern fails at load
        _bmpOnly = new Regex(onigurumaPattern, Options);
        _codePoints = new Lazy<Regex>(() => new Regex(rewritten, Options));
    }

    public override IEnumerable<(int Offset, int Length)> PreTokenize(string text) =>
        text is null ? [] : Split(text.AsSpan());

    public override IEnumerable<(int Offset, int Length)> PreTokenize(ReadOnlySpan<char> text) => Split(text);

    private List<(int Offset, int Length)> Split(ReadOnlySpan<char> text)
    {
        Regex regex = text.ContainsAnyInRange('\uD800', '\uDFFF') ? _codePoints.Value : _bmpOnly;
        var pieces = new List<(int Offset, int Length)>();
        int end = 0;
        foreach (ValueMatch match in regex.EnumerateMatches(text))
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
