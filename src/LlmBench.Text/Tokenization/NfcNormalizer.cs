using System.Buffers;
using System.Text;
using Microsoft.ML.Tokenizers;

namespace LlmBench.Text.Tokenization;

/// <summary>
/// Unicode NFC for Microsoft.ML.Tokenizers, which has no such normalizer; .NET's own string.Normalize is a no-op
/// under InvariantGlobalization. Text with nothing NFC could change (ASCII, CJK, Hangul syllables, most
/// emoji) is returned as it is without copying.
/// </summary>
internal sealed class NfcNormalizer : Normalizer
{
    public static NfcNormalizer Instance { get; } = new();

    public override string Normalize(string original) => Nfc(original);

    public override string Normalize(ReadOnlySpan<char> original) => Nfc(original.ToString());

    public static string Nfc(string text)
    {
        var data = UnicodeNfcData.Instance;
        int i = 0;
        while (i < text.Length)
        {
            char c = text[i];
            if (c < 0x300)
            {
                i++;
                continue;
            }

            int cp = char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1])
                ? char.ConvertToUtf32(c, text[i + 1])
                : c;
            if (data.MayChange(cp))
            {
                return Compose(text, data);
            }

            i += cp > 0xFFFF ? 2 : 1;
        }

        return text;
    }

    private static string Compose(string text, UnicodeNfcData data)
    {
        int[] buffer = ArrayPool<int>.Shared.Rent((text.Length * 4) + 4); // a code point decomposes to at most 4 (3 for Hangul)
        try
        {
            int length = Decompose(text, data, buffer);
            length = ComposeInPlace(buffer.AsSpan(0, length), data);
            var result = new StringBuilder(length);
            foreach (int cp in buffer.AsSpan(0, length))
            {
                result.Append(new Rune(cp).ToString()); // lone surrogates arrive as U+FFFD: see Decompose
            }

            return result.ToString();
        }
        finally
        {
            ArrayPool<int>.Shared.Return(buffer);
        }
    }

    // Full canonical decomposition, then the canonical ordering of each run of non-starters (a stable sort by class).
    private static int Decompose(string text, UnicodeNfcData data, int[] buffer)
    {
        int length = 0;
        Span<int> jamo = stackalloc int[3];
        for (int i = 0; i < text.Length; i++)
        {
            int cp = text[i];
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                cp = char.ConvertToUtf32(text[i], text[++i]);
            }
            else if (char.IsSurrogate(text[i]))
            {
                cp = 0xFFFD; // as the UTF-8 encoding of the text would have it
            }

            if (HangulSyllables.IsSyllable(cp))
            {
                int n = HangulSyllables.Decompose(cp, jamo);
                jamo[..n].CopyTo(buffer.AsSpan(length));
                length += n;
                continue;
            }

            int[]? parts = data.Decomposition(cp);
            if (parts is null)
            {
                Insert(buffer, ref length, cp, data);
            }
            else
            {
                foreach (int part in parts)
                {
                    Insert(buffer, ref length, part, data);
                }
            }
        }

        return length;
    }

    // Appends cp, moving it before preceding non-starters of a higher class (insertion sort: runs are short).
    private static void Insert(int[] buffer, ref int length, int cp, UnicodeNfcData data)
    {
        int ccc = data.CombiningClass(cp);
        int at = length;
        if (ccc != 0)
        {
            while (at > 0 && data.CombiningClass(buffer[at - 1]) > ccc)
            {
                buffer[at] = buffer[at - 1];
                at--;
            }
        }

        buffer[at] = cp;
        length++;
    }

    // The canonical composition algorithm of UAX #15: a mark joins the last starter unless blocked.
    private static int ComposeInPlace(Span<int> cps, UnicodeNfcData data)
    {
        if (cps.Length == 0)
        {
            return 0;
        }

        int starterAt = 0;
        int lastClass = data.CombiningClass(cps[0]) == 0 ? 0 : 256; // a leading mark has no starter to join
        int written = 1;
        for (int i = 1; i < cps.Length; i++)
        {
            int cp = cps[i];
            int ccc = data.CombiningClass(cp);
            int composite = lastClass == 256 ? -1 : ComposePair(cps[starterAt], cp, data);
            if (composite >= 0 && (lastClass < ccc || lastClass == 0))
            {
                cps[starterAt] = composite;
                continue;
            }

            if (ccc == 0)
            {
                starterAt = written;
            }

            lastClass = ccc;
            cps[written++] = cp;
        }

        return written;
    }

    private static int ComposePair(int first, int second, UnicodeNfcData data)
    {
        int hangul = HangulSyllables.Compose(first, second);
        return hangul >= 0 ? hangul : data.Compose(first, second);
    }
}
