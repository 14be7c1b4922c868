using System.Collections;
using System.Collections.Concurrent;
using System.Globalization;
using System.Text;

namespace LlmBench.Text.Tokenization;

/// <summary>
/// Sets of code points above U+FFFF and their spelling as .NET regex alternatives over surrogate pairs. .NET's
/// regex sees UTF-16 units, so "\p{L}" never matches a letter such as U+1D400 while Oniguruma (HF tokenizers) does.
/// </summary>
internal sealed class SupplementaryCodePoints
{
    private const int First = 0x10000;
    private const int Count = 0x100000;

    // One set per category name the patterns use (a few), 128 KiB each.
    private static readonly ConcurrentDictionary<string, BitArray> ByCategory = new(StringComparer.Ordinal);

    private readonly BitArray _bits = new(Count);

    public bool IsEmpty => !_bits.HasAnySet();

    /// <summary>Code points of a general category ("L", "Nd"...); empty for names that are not categories (blocks
    /// such as "IsGreek" hold no supplementary code points in .NET).</summary>
    public static SupplementaryCodePoints OfCategory(string name)
    {
        var set = new SupplementaryCodePoints();
        set._bits.Or(ByCategory.GetOrAdd(name, Scan));
        return set;
    }

    public static SupplementaryCodePoints All()
    {
        var set = new SupplementaryCodePoints();
        set._bits.SetAll(true);
        return set;
    }

    private static BitArray Scan(string name)
    {
        var wanted = new bool[(int)UnicodeCategory.OtherNotAssigned + 1];
        for (int c = 0; c < wanted.Length; c++)
        {
            wanted[c] = name.Length <= 2 && CategoryName((UnicodeCategory)c).StartsWith(name, StringComparison.Ordinal);
        }

        var bits = new BitArray(Count);
        for (int i = 0; i < Count; i++)
        {
            bits[i] = wanted[(int)CharUnicodeInfo.GetUnicodeCategory(First + i)];
        }

        return bits;
    }

    public void Add(int codePoint) => _bits[codePoint - First] = true;

    public void UnionWith(SupplementaryCodePoints other) => _bits.Or(other._bits);

    public SupplementaryCodePoints Complement()
    {
        var set = new SupplementaryCodePoints();
        set._bits.Or(_bits);
        set._bits.Not();
        return set;
    }

    /// <summary>Alternatives, one per run of high surrogates that allow the same low surrogates, for example
    /// "[\uD840-\uD868][\uDC00-\uDFFF]|\uD869[\uDC00-\uDEDF]".</summary>
    public string ToSurrogateAlternation()
    {
        var alternatives = new List<string>();
        string? runLows = null;
        int runStart = 0;
        for (int high = 0; high <= 1024; high++)
        {
            string? lows = high < 1024 ? LowSurrogateClass(high) : null;
            if (lows == runLows)
            {
                continue;
            }

            if (runLows is not null)
            {
                alternatives.Add(UnitRange(0xD800 + runStart, 0xD800 + high - 1) + runLows);
            }

            runLows = lows;
            runStart = high;
        }

        return string.Join('|', alternatives);
    }

    private string? LowSurrogateClass(int high)
    {
        var ranges = new StringBuilder();
        int offset = high * 1024;
        for (int low = 0; low < 1024; low++)
        {
            if (!_bits[offset + low])
            {
                continue;
            }

            int end = low;
            while (end + 1 < 1024 && _bits[offset + end + 1])
            {
                end++;
            }

            ranges.Append(Unit(0xDC00 + low));
            if (end > low)
            {
                ranges.Append('-').Append(Unit(0xDC00 + end));
            }

            low = end;
        }

        return ranges.Length == 0 ? null : "[" + ranges + "]";
    }

    private static string UnitRange(int first, int last) =>
        first == last ? Unit(first) : "[" + Unit(first) + "-" + Unit(last) + "]";

    private static string Unit(int utf16) => "\\u" + utf16.ToString("X4", CultureInfo.InvariantCulture);

    private static string CategoryName(UnicodeCategory category) => category switch
    {
        UnicodeCategory.UppercaseLetter => "Lu",
        UnicodeCategory.LowercaseLetter => "Ll",
        UnicodeCategory.TitlecaseLetter => "Lt",
        UnicodeCategory.ModifierLetter => "Lm",
        UnicodeCategory.OtherLetter => "Lo",
        UnicodeCategory.NonSpacingMark => "Mn",
        UnicodeCategory.SpacingCombiningMark => "Mc",
        UnicodeCategory.EnclosingMark => "Me",
        UnicodeCategory.DecimalDigitNumber => "Nd",
        UnicodeCategory.LetterNumber => "Nl",
        UnicodeCategory.OtherNumber => "No",
        UnicodeCategory.SpaceSeparator => "Zs",
        UnicodeCategory.LineSeparator => "Zl",
        UnicodeCategory.ParagraphSeparator => "Zp",
        UnicodeCategory.Control => "Cc",
        UnicodeCategory.Format => "Cf",
        UnicodeCategory.Surrogate => "Cs",
        UnicodeCategory.PrivateUse => "Co",
        UnicodeCategory.ConnectorPunctuation => "Pc",
        UnicodeCategory.DashPunctuation => "Pd",
        UnicodeCategory.OpenPunctuation => "Ps",
        UnicodeCategory.ClosePunctuation => "Pe",
        UnicodeCategory.InitialQuotePunctuation => "Pi",
        UnicodeCategory.FinalQuotePunctuation => "Pf",
        UnicodeCategory.OtherPunctuation => "Po",
        UnicodeCategory.MathSymbol => "Sm",
        UnicodeCategory.CurrencySymbol => "Sc",
        UnicodeCategory.ModifierSymbol => "Sk",
        UnicodeCategory.OtherSymbol => "So",
        _ => "Cn",
    };
}
