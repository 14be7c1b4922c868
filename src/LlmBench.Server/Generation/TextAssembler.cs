using System.Text;
using LlmBench.Text.Tokenization;

namespace LlmBench.Server.Generation;

/// <summary>
/// Detokenizes one sequence and applies its stop strings, on the request's side of the engine loop.
/// Text that could still become the start of a stop string is held back (at most the longest stop
/// string less one character), so a client never receives text that a stop later cuts off; the stop
/// string itself is not sent, as in OpenAI's API. Stop strings count only after min_tokens tokens.
/// </summary>
public sealed class TextAssembler(IIncrementalDetokenizer detokenizer, IReadOnlyList<string> stopStrings, int minTokens)
{
    private readonly StringBuilder _text = new();
    private readonly int _holdBack = stopStrings.Count == 0 ? 0 : stopStrings.Max(s => s.Length) - 1;
    private int _emitted;
    private int _tokens;

    /// <summary>True once a stop string matched; nothing more is emitted.</summary>
    public bool Stopped { get; private set; }

    /// <summary>Adds one generated token and returns the text now safe to send (possibly empty).</summary>
    public string Push(int tokenId)
    {
        if (Stopped)
            return "";
        _text.Append(detokenizer.Push(tokenId));
        _tokens++;
        if (stopStrings.Count > 0 && _tokens >= minTokens && FindStop() is { } stopAt)
        {
            Stopped = true;
            return Take(stopAt);
        }

        return Take(Math.Max(_emitted, _text.Length - _holdBack));
    }

    /// <summary>At the end of generation: whatever was held back for a stop string that never came.</summary>
    public string Flush() => Stopped ? "" : Take(_text.Length);

    private int? FindStop()
    {
        // A stop cannot begin before _emitted: the hold-back kept every possible beginning unsent.
        var tail = _text.ToString(_emitted, _text.Length - _emitted);
        int? earliest = null;
        foreach (var stop in stopStrings)
        {
            var at = tail.IndexOf(stop, StringComparison.Ordinal);
            if (at >= 0 && (earliest is null || at < earliest))
                earliest = at;
        }

        return earliest is { } offset ? _emitted + offset : null;
    }

    private string Take(int upTo)
    {
        if (upTo <= _emitted)
            return "";
        var piece = _text.ToString(_emitted, upTo - _emitted);
        _emitted = upTo;
        return piece;
    }
}
