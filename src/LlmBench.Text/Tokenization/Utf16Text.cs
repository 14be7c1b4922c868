namespace LlmBench.Text.Tokenization;

internal static class Utf16Text
{
    /// <summary>The text with each unpaired surrogate replaced by U+FFFD, which is what its UTF-8 encoding (and so
    /// any tokenizer working on bytes) would see; the same string when there is none.</summary>
    public static string ReplaceLoneSurrogates(string text)
    {
        int bad = FirstLoneSurrogate(text, 0);
        if (bad < 0)
        {
            return text;
        }

        char[] chars = text.ToCharArray();
        for (; bad >= 0; bad = FirstLoneSurrogate(text, bad + 1))
        {
            chars[bad] = '\uFFFD';
        }

        return new string(chars);
    }

    private static int FirstLoneSurrogate(string text, int from)
    {
        for (int i = from; i < text.Length; i++)
        {
            char c = text[i];
            if (!char.IsSurrogate(c))
            {
                continue;
            }

            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
                continue;
            }

            return i;
        }

        return -1;
    }
}
