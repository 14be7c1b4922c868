using System.Text;

namespace LlmBench.Text.Tokenization;

/// <summary>
/// Rewrites a pre-tokenizer regex written for Oniguruma (what HF tokenizers runs, matching whole code points) so
/// that .NET's regex, which matches UTF-16 units, splits text the same way. Only the constructs that can meet a
/// character above U+FFFF change: \p{..}, \P{..}, \S, \W, \D, \d, \w, '.', and character classes that hold
/// them or are negated. Each becomes "(BMP part minus surrogates | surrogate pairs of the same set)".
/// Without this, "😀abc" splits as "😀" + "abc" where HF keeps one piece, and "𝐇𝐞𝐥𝐥𝐨!" keeps the "!".
/// </summary>
internal static class OnigurumaPattern
{
    private const string AnySurrogatePair = @"[\uD800-\uDBFF][\uDC00-\uDFFF]";
    private const string NoSurrogates = @"-[\uD800-\uDFFF]";

    public static string ToDotNet(string pattern)
    {
        var result = new StringBuilder(pattern.Length * 4);
        for (int i = 0; i < pattern.Length; i++)
        {
            char c = pattern[i];
            if (c == '\\' && i + 1 < pattern.Length)
            {
                int start = i;
                var item = ReadEscape(pattern, ref i);
                if (item is null)
                {
                    result.Append(pattern, start, i - start + 1);
                }
                else
                {
                    result.Append(Class(negated: false, item.Value.Text, item.Value.Supplementary));
                }
            }
            else if (c == '[')
            {
                result.Append(ReadClass(pattern, ref i));
            }
            else if (c == '.')
            {
                result.Append("(?:" + AnySurrogatePair + @"|[^\n\uD800-\uDFFF])");
            }
            else if (char.IsHighSurrogate(c) && i + 1 < pattern.Length && char.IsLowSurrogate(pattern[i + 1]))
            {
                result.Append("(?:").Append(c).Append(pattern[++i]).Append(')'); // a quantifier applies to both units
            }
            else
            {
                result.Append(c);
            }
        }

        return result.ToString();
    }

    // An escape at pattern[i] that can match supplementary code points, as class text and its supplementary set;
    // null for other escapes (\r, \n, \s, \(...), which are copied. Leaves i on the escape's last character.
    private static (string Text, SupplementaryCodePoints Supplementary)? ReadEscape(string pattern, ref int i)
    {
        char kind = pattern[++i];
        switch (kind)
        {
            case 'p' or 'P':
                int close = pattern.IndexOf('}', i);
                if (i + 1 >= pattern.Length || pattern[i + 1] != '{' || close < 0)
                {
                    throw new FormatException($"unsupported property escape at position {i - 1}");
                }

                string name = pattern[(i + 2)..close];
                i = close;
                var set = SupplementaryCodePoints.OfCategory(name);
                return ($"\\{kind}{{{name}}}", kind == 'p' ? set : set.Complement());
            case 'd' or 'D':
                var digits = SupplementaryCodePoints.OfCategory("Nd");
                return ("\\" + kind, kind == 'd' ? digits : digits.Complement());
            case 'w' or 'W':
                var word = SupplementaryCodePoints.OfCategory("L");
                word.UnionWith(SupplementaryCodePoints.OfCategory("Mn"));
                word.UnionWith(SupplementaryCodePoints.OfCategory("Nd"));
                word.UnionWith(SupplementaryCodePoints.OfCategory("Pc"));
                return ("\\" + kind, kind == 'w' ? word : word.Complement());
            case 'S':
                return (@"\S", SupplementaryCodePoints.All()); // no white space lies above U+FFFF
            default:
                return null;
        }
    }

    private static string ReadClass(string pattern, ref int i)
    {
        int open = i++;
        bool negated = i < pattern.Length && pattern[i] == '^';
        if (negated)
        {
            i++;
        }

        var text = new StringBuilder();
        var supplementary = new SupplementaryCodePoints();
        bool rewrite = negated;
        for (bool first = true; i < pattern.Length && (pattern[i] != ']' || first); i++, first = false)
        {
            char c = pattern[i];
            if (c == '[' || (c == '&' && i + 1 < pattern.Length && pattern[i + 1] == '&'))
            {
                throw new FormatException($"nested classes and '&&' are not supported (position {i})");
            }

            if (c == '\\' && i + 1 < pattern.Length)
            {
                int start = i;
                var item = ReadEscape(pattern, ref i);
                if (item is null)
                {
                    text.Append(pattern, start, i - start + 1);
                }
                else
                {
                    text.Append(item.Value.Text);
                    supplementary.UnionWith(item.Value.Supplementary);
                    rewrite = true;
                }
            }
            else if (char.IsHighSurrogate(c) && i + 1 < pattern.Length && char.IsLowSurrogate(pattern[i + 1]))
            {
                supplementary.Add(char.ConvertToUtf32(c, pattern[++i]));
                rewrite = true;
            }
            else
            {
                text.Append(c);
            }
        }

        if (i >= pattern.Length)
        {
            throw new FormatException($"unterminated character class at position {open}");
        }

        return rewrite ? Class(negated, text.ToString(), negated ? supplementary.Complement() : supplementary)
            : pattern[open..(i + 1)];
    }

    private static string Class(bool negated, string items, SupplementaryCodePoints supplementary)
    {
        string bmp = items.Length > 0 ? "[" + (negated ? "^" : string.Empty) + items + NoSurrogates + "]"
            : negated ? @"[^\uD800-\uDFFF]" : "(?!)";
        if (supplementary.IsEmpty)
        {
            return bmp;
        }

        // The look-ahead makes a BMP character fail the supplementary branch at once.
        return "(?:" + bmp + @"|(?=[\uD800-\uDBFF])(?:" + supplementary.ToSurrogateAlternation() + "))";
    }
}
