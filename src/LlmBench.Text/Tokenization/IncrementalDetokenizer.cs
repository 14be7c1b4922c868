using System.Text;

namespace LlmBench.Text.Tokenization;

/// <summary>
/// Streams text for one sequence. Each id's bytes go through a stateful UTF-8 decoder, which keeps the bytes of
/// a character that is not complete yet (an emoji spread over several byte-level tokens) until the rest arrives:
/// O(bytes of the token) per Push, and the pieces concatenate to exactly what Decode of all the ids gives,
/// except that bytes still pending at the end come out only through <see cref="Flush"/>.
/// </summary>
public sealed class IncrementalDetokenizer : IIncrementalDetokenizer
{
    private readonly TokenBytesTable _table;
    private readonly bool _skipSpecialTokens;
    private readonly Decoder _utf8 = new UTF8Encoding(false, false).GetDecoder();
    private readonly StringBuilder _text = new();
    private char[] _chars = new char[64];

    internal IncrementalDetokenizer(TokenBytesTable table, bool skipSpecialTokens)
    {
        _table = table;
        _skipSpecialTokens = skipSpecialTokens;
    }

    public string Text => _text.ToString();

    public string Push(int tokenId) => Emit(_table.Get(tokenId, _skipSpecialTokens), flush: false);

    /// <summary>Ends the stream: bytes of an unfinished character come out as U+FFFD, as a full decode shows them.</summary>
    public string Flush() => Emit(default, flush: true);

    private string Emit(ReadOnlySpan<byte> bytes, bool flush)
    {
        int needed = _utf8.GetCharCount(bytes, flush);
        if (needed > _chars.Length)
        {
            _chars = new char[Math.Max(needed, _chars.Length * 2)];
        }

        int written = _utf8.GetChars(bytes, _chars, flush);
        if (written == 0)
        {
            return string.Empty;
        }

        var piece = new string(_chars, 0, written);
        _text.Append(piece);
        return piece;
    }
}
