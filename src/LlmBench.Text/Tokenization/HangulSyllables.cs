namespace LlmBench.Text.Tokenization;

/// <summary>The arithmetic that composes and decomposes Hangul syllables (Unicode chapter 3.12).</summary>
internal static class HangulSyllables
{
    public const int SyllableFirst = 0xAC00;
    public const int LeadingFirst = 0x1100;
    public const int VowelFirst = 0x1161;
    public const int TrailingFirst = 0x11A7;
    public const int LeadingCount = 19;
    public const int VowelCount = 21;
    public const int TrailingCount = 28;
    private const int PerLeading = VowelCount * TrailingCount;
    private const int SyllableCount = LeadingCount * PerLeading;

    public static bool IsSyllable(int cp) => (uint)(cp - SyllableFirst) < SyllableCount;

    public static bool IsVowelOrTrailing(int cp) =>
        (uint)(cp - VowelFirst) < VowelCount || (uint)(cp - TrailingFirst - 1) < TrailingCount - 1;

    /// <summary>Writes the 2 or 3 jamo of a syllable and returns how many.</summary>
    public static int Decompose(int syllable, Span<int> destination)
    {
        int index = syllable - SyllableFirst;
        destination[0] = LeadingFirst + (index / PerLeading);
        destination[1] = VowelFirst + (index % PerLeading / TrailingCount);
        int trailing = index % TrailingCount;
        if (trailing == 0)
        {
            return 2;
        }

        destination[2] = TrailingFirst + trailing;
        return 3;
    }

    /// <summary>Leading+vowel or LV syllable+trailing as one syllable, or -1.</summary>
    public static int Compose(int first, int second)
    {
        int leading = first - LeadingFirst, vowel = second - VowelFirst;
        if ((uint)leading < LeadingCount && (uint)vowel < VowelCount)
        {
            return SyllableFirst + (((leading * VowelCount) + vowel) * TrailingCount);
        }

        int syllable = first - SyllableFirst, trailing = second - TrailingFirst;
        if ((uint)syllable < SyllableCount && syllable % TrailingCount == 0 && trailing > 0 && trailing < TrailingCount)
        {
            return first + trailing;
        }

        return -1;
    }
}
