namespace LlmBench.Text;

/// <summary>
/// Stop strings, the one implementation for every caller that streams text (CLI generate, the server). The engine
/// sees token ids only, so the caller feeds each detokenized piece to <see cref="Append"/>; it gets back the text
/// that is safe to show now, holding back only a tail that is the start of a stop string, and learns when a stop
/// string appeared, at which point it aborts the engine request and reports finish reason "stop". As in vLLM, the
/// stop string itself is not part of the output, and stops are ignored until min_tokens tokens were generated (one
/// that was already complete by then does not fire later either).
/// </summary>
public sealed class StopStringMatcher
{
    private readonly string[] _stops;
    private readonly int _longestStop;
    private readonly int _minTokens;
    private readonly System.Text.StringBuilder _text = new();
    private int _emittedChars;

    public StopStringMatcher(IReadOnlyList<string> stopStrings, int minTokens = 0)
    {
        _stops = [.. stopStrings.Where(s => s.Length > 0)];
        _longestStop = _stops.Length == 0 ? 0 : _stops.Max(s => s.Length);
        _minTokens = minTokens;
    }

    public bool Stopped { get; private set; }

    /// <summary>All text up to the stop string (or all text so far).</summary>
    public string Text => _text.ToString();

    /// <summary>
    /// Adds the text of the next token(s). Returns the newly printable text; sets <see cref="Stopped"/> when a stop
    /// string completed, in which case the returned text ends right before it.
    /// </summary>
    /// <param name="outputTokens">Tokens generated so far, including those behind <paramref name="delta"/>.</param>
    public string Append(string delta, int outputTokens)
    {
        if (Stopped)
            return "";
        int previousLength = _text.Length;
        _text.Append(delta);
        if (outputTokens >= _minTokens && _stops.Length > 0)
        {
            int cut = FirstStop(previousLength);
            if (cut >= 0)
            {
                Stopped = true;
                _text.Length = cut;
                return TakeUpTo(cut);
            }
        }
        return TakeUpTo(_text.Length - PossibleStopPrefixLength());
    }

    /// <summary>Text still held back; call when the request ended for another reason.</summary>
    public string Flush() => TakeUpTo(_text.Length);

    /// <summary>Length of the longest tail of the text that a stop string starts with (and so may still complete).</summary>
    private int PossibleStopPrefixLength()
    {
        int longest = 0;
        foreach (string stop in _stops)
        {
            for (int length = Math.Min(stop.Length - 1, _text.Length); length > longest; length--)
            {
                if (EndsWith(stop.AsSpan(0, length)))
                {
                    longest = length;
                    break;
                }
            }
        }
        return longest;
    }

    private bool EndsWith(ReadOnlySpan<char> tail)
    {
        int start = _text.Length - tail.Length;
        for (int i = 0; i < tail.Length; i++)
        {
            if (_text[start + i] != tail[i])
                return false;
        }
        return true;
    }

    /// <summary>Start of the earliest stop string that the new text (from <paramref name="previousLength"/> on) completes.</summary>
    private int FirstStop(int previousLength)
    {
        // Only the new text, and up to the longest stop less one character before it, can hold such a stop:
        // copying that window rather than all the text keeps a long generation linear.
        int windowStart = Math.Max(0, previousLength - _longestStop + 1);
        string window = _text.ToString(windowStart, _text.Length - windowStart);
        int best = -1;
        foreach (string stop in _stops)
        {
            int from = Math.Max(0, previousLength - stop.Length + 1) - windowStart;
            int at = window.IndexOf(stop, from, StringComparison.Ordinal);
            if (at >= 0 && (best < 0 || at < best))
                best = at;
        }
        return best < 0 ? -1 : windowStart + best;
    }

    private string TakeUpTo(int end)
    {
        end = Math.Min(end, _text.Length);
        // Never split a surrogate pair between two pieces.
        if (end > _emittedChars && end < _text.Length && char.IsHighSurrogate(_text[end - 1]))
            end--;
        if (end <= _emittedChars)
            return "";
        string piece = _text.ToString(_emittedChars, end - _emittedChars);
        _emittedChars = end;
        return piece;
    }
}
