using System.Globalization;
using System.Text;

namespace LlmBench.Text.Tokenization;

/// <summary>
/// The canonical data NFC needs, parsed once from the embedded table (Resources/unicode-nfc.txt.gz): full canonical
/// decompositions, primary composites and combining classes. Hangul syllables are left to arithmetic.
/// </summary>
internal sealed class UnicodeNfcData
{
    private static readonly Lazy<UnicodeNfcData> Shared = new(Load);

    private readonly Dictionary<int, int[]> _decompositions = [];
    private readonly Dictionary<long, int> _compositions = [];
    private readonly Dictionary<int, byte> _combiningClasses = [];
    private readonly byte[] _bmpCombiningClasses = new byte[0x10000];

    // A code point that NFC may change, or that may join the one before it: the fast path skips strings without one.
    private readonly bool[] _bmpMayChange = new bool[0x10000];
    private readonly HashSet<int> _supplementaryMayChange = [];

    public static UnicodeNfcData Instance => Shared.Value;

    public bool MayChange(int codePoint) =>
        codePoint < 0x10000 ? _bmpMayChange[codePoint] : _supplementaryMayChange.Contains(codePoint);

    public int CombiningClass(int codePoint) =>
        codePoint < 0x10000 ? _bmpCombiningClasses[codePoint] : _combiningClasses.GetValueOrDefault(codePoint);

    /// <summary>The full canonical decomposition of <paramref name="codePoint"/>, or null when it has none.</summary>
    public int[]? Decomposition(int codePoint) => _decompositions.GetValueOrDefault(codePoint);

    /// <summary>The primary composite of the pair, or -1.</summary>
    public int Compose(int first, int second) =>
        _compositions.TryGetValue(((long)first << 21) | (uint)second, out int composite) ? composite : -1;

    private static UnicodeNfcData Load()
    {
        var data = new UnicodeNfcData();
        var oneLevel = new Dictionary<int, int[]>();
        string text = Encoding.ASCII.GetString(EmbeddedResources.ReadAllBytes(EmbeddedResources.UnicodeNfcTable));
        foreach (string line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            if (line[0] == '#')
            {
                continue;
            }

            string[] f = line.Split(' ');
            if (f[0] == "D")
            {
                bool excluded = f[^1] == "x";
                int cp = Hex(f[1]);
                int[] parts = f[2..(excluded ? f.Length - 1 : f.Length)].Select(Hex).ToArray();
                oneLevel[cp] = parts;
                if (!excluded && parts.Length == 2)
                {
                    data._compositions[((long)parts[0] << 21) | (uint)parts[1]] = cp;
                }
                else
                {
                    data.MarkMayChange(cp);
                }
            }
            else if (f[0] == "C")
            {
                byte ccc = byte.Parse(f[1], CultureInfo.InvariantCulture);
                int first = Hex(f[2]), last = f.Length > 3 ? Hex(f[3]) : first;
                for (int cp = first; cp <= last; cp++)
                {
                    data.SetCombiningClass(cp, ccc);
                    data.MarkMayChange(cp);
                }
            }
        }

        foreach (int cp in oneLevel.Keys)
        {
            data._decompositions[cp] = Expand(cp, oneLevel).ToArray();
        }

        foreach (long pair in data._compositions.Keys)
        {
            data.MarkMayChange((int)(pair & 0x1FFFFF)); // a second half can join the starter before it
        }

        for (int cp = HangulSyllables.VowelFirst; cp < HangulSyllables.TrailingFirst + HangulSyllables.TrailingCount; cp++)
        {
            if (HangulSyllables.IsVowelOrTrailing(cp))
            {
                data.MarkMayChange(cp);
            }
        }

        return data;
    }

    private static List<int> Expand(int cp, Dictionary<int, int[]> oneLevel)
    {
        var result = new List<int>();
        if (!oneLevel.TryGetValue(cp, out int[]? parts))
        {
            result.Add(cp);
            return result;
        }

        foreach (int part in parts)
        {
            result.AddRange(Expand(part, oneLevel));
        }

        return result;
    }

    private void SetCombiningClass(int cp, byte ccc)
    {
        if (cp < 0x10000)
        {
            _bmpCombiningClasses[cp] = ccc;
        }
        else
        {
            _combiningClasses[cp] = ccc;
        }
    }

    private void MarkMayChange(int cp)
    {
        if (cp < 0x10000)
        {
            _bmpMayChange[cp] = true;
        }
        else
        {
            _supplementaryMayChange.Add(cp);
        }
    }

    private static int Hex(string s) => int.Parse(s, NumberStyles.HexNumber, CultureInfo.InvariantCulture);
}
